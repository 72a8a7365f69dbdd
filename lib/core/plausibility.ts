// Timing plausibility of a finished run, judged against the study's design. Computed when a run
// completes and stored with it (Run.timingFlags), shown to the researcher; the data are kept
// either way — a flag is a reason to look, never a reason to drop trials. Only what a client
// cannot forge is used for the duration: the server's own clock from the run's creation to its
// completion. A scripted client can still send plausible response times, so per-trial checks are
// about times the design makes impossible (a response after the response window closed).
import type { StudyConfig } from "./study-config";

export type TimingFlag = {
  code: "too-fast" | "rt-outside-window";
  /** One sentence for the researcher. */
  message: string;
  /** The measured number (ms or a count) and the bound it broke. */
  statistic: number;
  threshold: number;
};

/** Timer and frame slack: the shortest real run may be this fraction below the design's minimum. */
export const DURATION_SLACK = 0.9;
/** A response time may exceed the response window by this much (frame timing) before it is impossible. */
export const RT_WINDOW_SLACK_MS = 100;

type Design = Pick<StudyConfig, "timing" | "feedback">;

/**
 * The shortest time a real browser can take for `mainTrials` main trials of this design: every
 * trial shows its fixation, waits its inter-trial interval and, with trial feedback, shows the
 * feedback, whatever the participant does. (Practice, instructions and breaks only add time.)
 */
export function minimumMainDurationMs(design: Design, mainTrials: number): number {
  const { fixationMs, feedbackMs, itiMs } = design.timing;
  return mainTrials * (fixationMs + itiMs + (design.feedback === "trial" ? feedbackMs : 0));
}

/** The flags of one completed run ([] when its timing is plausible). */
export function timingFlags(
  design: Design,
  run: { mainTrials: number; startedAt: Date; completedAt: Date },
  rtsMs: readonly (number | null)[],
): TimingFlag[] {
  const flags: TimingFlag[] = [];
  const tookMs = run.completedAt.getTime() - run.startedAt.getTime();
  const minimumMs = minimumMainDurationMs(design, run.mainTrials);
  if (minimumMs > 0 && tookMs < DURATION_SLACK * minimumMs) {
    flags.push({
      code: "too-fast",
      message:
        `Finished ${run.mainTrials} trials in ${formatSeconds(tookMs)} (server clock); ` +
        `the design's fixation, feedback and inter-trial timing alone take ${formatSeconds(minimumMs)}.`,
      statistic: tookMs,
      threshold: Math.round(DURATION_SLACK * minimumMs),
    });
  }
  const windowMs = design.timing.responseWindowMs + RT_WINDOW_SLACK_MS;
  const outside = rtsMs.filter((rt) => rt !== null && rt > windowMs).length;
  if (outside > 0) {
    flags.push({
      code: "rt-outside-window",
      message: `${outside} response time${outside === 1 ? "" : "s"} longer than the ${design.timing.responseWindowMs} ms response window (impossible in the experiment).`,
      statistic: outside,
      threshold: 0,
    });
  }
  return flags;
}

/** The sentences of a stored Run.timingFlags value (anything else reads as no flags). */
export function timingFlagMessages(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((f: Partial<TimingFlag> | null) =>
    f && typeof f.message === "string" ? [f.message] : [],
  );
}

function formatSeconds(ms: number) {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
