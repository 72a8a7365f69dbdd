// Interaction events of a participant's page: jsPsych's interaction data (leaving or entering
// full screen, the page losing or regaining focus) plus window resizes. The browser sends them in
// small batches (POST /api/runs/<token>/events); the participant page summarises them.
import { z } from "zod";

export const RUN_EVENT_TYPES = [
  "fullscreenexit",
  "fullscreenenter",
  "blur",
  "focus",
  "resize",
] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

const runEventSchema = z
  .object({
    /** Random id of one page load; a reload starts a new one. */
    pageId: z.string().regex(/^[A-Za-z0-9_-]{8,40}$/, "pageId: 8–40 letters, digits, _ or -"),
    /** The event's number within its page load. */
    seq: z.number().int().min(0).max(100_000),
    type: z.enum(RUN_EVENT_TYPES),
    /** Milliseconds since the page's experiment started. */
    timeMs: z
      .number()
      .finite()
      .min(0)
      .max(7 * 24 * 3600_000),
    /** The last task trial finished before the event (null before the first one). */
    phase: z.enum(["practice", "main"]).nullable(),
    trialIndex: z.number().int().min(0).max(100_000).nullable(),
    width: z.number().int().min(0).max(100_000).nullable(),
    height: z.number().int().min(0).max(100_000).nullable(),
  })
  .strict()
  .refine((e) => (e.phase === null) === (e.trialIndex === null), {
    message: "phase and trialIndex are both set or both null",
    path: ["trialIndex"],
  });
export type RunEvent = z.infer<typeof runEventSchema>;

export const runEventBatchSchema = z
  .object({ events: z.array(runEventSchema).min(1).max(50, "At most 50 events per request") })
  .strict();

/** Events kept per run; a page that fires more (a window dragged for minutes) is capped. */
export const MAX_EVENTS_PER_RUN = 1000;

type RunEventSummary = {
  fullscreenExits: number;
  /** Times the page lost focus (another tab or window). */
  tabSwitches: number;
  resizes: number;
};

export function summarizeRunEvents(events: readonly { type: string }[]): RunEventSummary {
  const count = (t: RunEventType) => events.filter((e) => e.type === t).length;
  return {
    fullscreenExits: count("fullscreenexit"),
    tabSwitches: count("blur"),
    resizes: count("resize"),
  };
}
