// The run lifecycle (docs/ARCHITECTURE.md §4) and the live-monitor view of a study's runs, shared
// by the server query (lib/server/monitor.ts), its route's query parameters and the table that
// renders it.
import { z } from "zod";
import { OUTCOME_LABELS, returnReasonOf } from "./outcomes";

export const RUN_STATUSES = ["started", "active", "completed", "abandoned", "returned"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Columns the monitor sorts by (server-side). */
export const MONITOR_SORTS = [
  "index",
  "start",
  "finish",
  "duration",
  "status",
  "accuracy",
] as const;
export type MonitorSort = (typeof MONITOR_SORTS)[number];

/** Which runs the pilot filter keeps. */
export const MONITOR_PILOT_FILTERS = ["all", "exclude", "only"] as const;

export const MONITOR_MAX_PAGE_SIZE = 200;
export const MONITOR_DEFAULT_PAGE_SIZE = 50;

const positiveInt = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `${name} must be between 1 and ${max}`);

/**
 * GET /api/studies/<id>/runs query: every parameter optional, unknown ones refused (a typo must not
 * silently show every run).
 */
export const monitorQuerySchema = z
  .object({
    status: z
      .enum(RUN_STATUSES, { error: `status must be one of ${RUN_STATUSES.join(", ")}` })
      .optional(),
    pilot: z
      .enum(MONITOR_PILOT_FILTERS, {
        error: `pilot must be one of ${MONITOR_PILOT_FILTERS.join(", ")}`,
      })
      .default("all"),
    /** Part of the external id (case-insensitive), or a participant number. */
    q: z
      .string()
      .trim()
      .max(100, "q (search) must be at most 100 characters")
      .optional()
      .transform((s) => (s ? s : undefined)),
    sort: z
      .enum(MONITOR_SORTS, { error: `sort must be one of ${MONITOR_SORTS.join(", ")}` })
      .default("index"),
    dir: z.enum(["asc", "desc"], { error: "dir must be asc or desc" }).default("asc"),
    page: positiveInt("page", 1_000_000).default(1),
    pageSize: positiveInt("pageSize", MONITOR_MAX_PAGE_SIZE).default(MONITOR_DEFAULT_PAGE_SIZE),
  })
  .strict();
export type MonitorQuery = z.infer<typeof monitorQuerySchema>;

/**
 * Parse the monitor's URL query; on failure, one sentence naming every bad parameter (the route
 * answers 400 with it).
 */
export function parseMonitorQuery(
  params: URLSearchParams,
): { ok: true; query: MonitorQuery } | { ok: false; message: string } {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k in raw) return { ok: false, message: `Query parameter '${k}' is given more than once` };
    raw[k] = v;
  }
  const r = monitorQuerySchema.safeParse(raw);
  if (r.success) return { ok: true, query: r.data };
  const messages = r.error.issues.map((i) =>
    i.code === "unrecognized_keys"
      ? `unknown query parameter${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `'${k}'`).join(", ")} (known: ${Object.keys(monitorQuerySchema.shape).join(", ")})`
      : i.message,
  );
  return { ok: false, message: `Bad monitor query: ${messages.join("; ")}` };
}

/** The query string for `query`, leaving out defaults (so the first page's URL stays short). */
export function monitorQueryString(query: Partial<MonitorQuery>): string {
  const defaults = monitorQuerySchema.parse({});
  const out = new URLSearchParams();
  for (const key of Object.keys(monitorQuerySchema.shape) as (keyof MonitorQuery)[]) {
    const v = query[key];
    if (v !== undefined && v !== defaults[key]) out.set(key, String(v));
  }
  return out.toString();
}

/** A model stream of the run as its job stands: queued, running, done or failed. */
const runStreamStatusSchema = z.object({
  preset: z.string(),
  status: z.enum(["queued", "running", "done", "failed"]),
});
export type RunStreamStatus = z.infer<typeof runStreamStatusSchema>;

const runMonitorRowSchema = z.object({
  id: z.string(),
  participantIndex: z.number().int(),
  externalId: z.string().nullable(),
  /** Recruiter's study and session ids as stored (Prolific STUDY_ID / SESSION_ID, MTurk HIT / assignment). */
  externalStudyId: z.string().nullable(),
  externalSessionId: z.string().nullable(),
  source: z.string(),
  status: z.enum(RUN_STATUSES),
  /** Why the run has this status, in words (null when the status says it all). */
  reason: z.string().nullable(),
  isPilot: z.boolean(),
  /** The run's between-participant condition (null: a study without conditions). */
  condition: z.string().nullable(),
  /** Saved main trials (practice excluded). */
  savedTrials: z.number().int(),
  expectedTrials: z.number().int(),
  /** Proportion correct over saved main trials; null before the first one. */
  accuracy: z.number().nullable(),
  /** Data-quality flags over the saved main trials (lib/core/quality.ts; empty codes when none). */
  quality: z.object({
    flagged: z.boolean(),
    summary: z.string(),
    codes: z.array(z.string()),
    reasons: z.array(z.string()),
  }),
  startedAt: z.string(),
  lastSeenAt: z.string(),
  /** Completion time, or the last sign of life of a returned or abandoned run; null while running. */
  finishedAt: z.string().nullable(),
  /** Start to finish, or to the last sign of life for an unfinished run (as on the participant page). */
  durationMs: z.number(),
  /** Timing-plausibility flags stored at completion (lib/core/plausibility.ts), as sentences. */
  timingFlags: z.array(z.string()),
  /** How often the run moved to another browser (resumed with its external id). */
  transfers: z.number().int(),
  /** The run's model streams (server jobs) and the models fitted to it. */
  streams: z.array(runStreamStatusSchema),
  fitted: z.array(z.string()),
});
export type RunMonitorRow = z.infer<typeof runMonitorRowSchema>;

/**
 * GET /api/studies/<id>/runs → 200 (lib/server/monitor.ts builds it, components/studies/runs-monitor.tsx
 * parses each answer with it). `query` is the query as applied (monitorQuerySchema's output).
 */
export const runMonitorDataSchema = z.object({
  /** Counts by status over every run of the study (not only the filtered ones). */
  statusCounts: z.record(z.enum(RUN_STATUSES), z.number().int()),
  /** Every run of the study, and those that are not pilots. */
  totals: z.object({ runs: z.number().int(), participants: z.number().int() }),
  /** Runs matching the filter (all pages). */
  matching: z.number().int(),
  /** The query as applied: the URL schema's own fields (idempotent on its output), numbers as numbers. */
  query: monitorQuerySchema.extend({
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1).max(MONITOR_MAX_PAGE_SIZE),
  }),
  runs: z.array(runMonitorRowSchema),
  generatedAt: z.string(),
});
export type RunMonitorData = z.infer<typeof runMonitorDataSchema>;

/** Pages needed for `matching` runs at `pageSize` (at least 1). */
export function pageCount(matching: number, pageSize: number) {
  return Math.max(1, Math.ceil(matching / pageSize));
}

/** A phone or tablet browser (the keyboard check turns them away before consent). */
const MOBILE_UA = /Mobi|Android|iPhone|iPad|iPod/i;

/**
 * Why a run has its status, in words, from what the run stored: how many practice and main trials
 * were saved and the browser. A returned run without any saved trial left before the task (a
 * phone or tablet was turned away by the keyboard check; otherwise consent was declined or there
 * was no keyboard); with practice trials only, it ended in practice; with main trials, the
 * participant withdrew during the task.
 */
export function runStatusReason(r: {
  status: RunStatus;
  savedTrials: number;
  expectedTrials: number;
  practiceTrials: number;
  userAgent: string | null;
  /** The outcome stored when the run was returned (Run.statusReason); older runs have none. */
  statusReason?: string | null;
}): string | null {
  const progress = `after ${r.savedTrials} of ${r.expectedTrials} trials`;
  switch (r.status) {
    case "started":
      return r.practiceTrials > 0 ? "in practice" : "before the first trial";
    case "active":
      return null;
    case "completed":
      return null;
    case "abandoned":
      return r.savedTrials === 0 && r.practiceTrials === 0
        ? "no trial saved, silent for over 30 minutes"
        : `silent for over 30 minutes ${progress}`;
    case "returned":
      if (r.statusReason && r.statusReason !== "withdrawn")
        return OUTCOME_LABELS[returnReasonOf(r.statusReason)];
      if (r.savedTrials > 0) return `withdrew during the task, ${progress}`;
      if (r.practiceTrials > 0) return "ended in practice (failed it or withdrew)";
      return MOBILE_UA.test(r.userAgent ?? "")
        ? "screened out: phone or tablet"
        : "before the task: declined consent or no keyboard";
  }
}
