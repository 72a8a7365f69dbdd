// How long a study takes a participant, from its design (timing × trials): the one estimate shown
// on the consent screen, in the study form, on the study page next to the Prolific fields, and in
// the form's "very long study" warning.
import type { StudyConfig } from "./study-config";

/** Assumed mean response time (ms) when the response window allows it (typical for this task). */
const TYPICAL_RT_MS = 900;
/** Reading the consent and the instructions, entering full screen. */
const SETUP_MS = 2 * 60_000;
/** Time a participant is assumed to spend on one break screen. */
const BREAK_MS = 30_000;
/** Studies expected to take longer than this get a warning in the study form. */
export const LONG_STUDY_MINUTES = 60;

export type DurationEstimate = {
  /** Expected minutes, rounded up: practice passed at the first attempt. */
  minutes: number;
  /** Minutes if every practice attempt is used. */
  maxMinutes: number;
  mainTrials: number;
  practiceTrials: number;
  breaks: number;
};

type DesignFields = Pick<
  StudyConfig,
  "blocks" | "trialsPerBlock" | "timing" | "feedback" | "practice" | "breakEveryBlocks"
>;

/** Number of break screens: after every breakEveryBlocks blocks, never after the last block. */
export function breakCount(config: Pick<StudyConfig, "blocks" | "breakEveryBlocks">): number {
  if (config.breakEveryBlocks <= 0) return 0;
  return Math.floor((config.blocks - 1) / config.breakEveryBlocks);
}

export function estimateDuration(config: DesignFields): DurationEstimate {
  const { fixationMs, responseWindowMs, feedbackMs, itiMs } = config.timing;
  const base = fixationMs + Math.min(TYPICAL_RT_MS, responseWindowMs) + itiMs;
  const mainTrials = config.blocks * config.trialsPerBlock;
  const mainMs = mainTrials * (base + (config.feedback === "trial" ? feedbackMs : 0));
  const practiceAttemptMs = config.practice.trials * (base + feedbackMs); // practice always gives feedback
  const breaks = breakCount(config);
  const fixed = SETUP_MS + breaks * BREAK_MS + mainMs;
  const toMinutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
  return {
    minutes: toMinutes(fixed + practiceAttemptMs),
    maxMinutes: toMinutes(fixed + practiceAttemptMs * config.practice.maxAttempts),
    mainTrials,
    practiceTrials: config.practice.trials,
    breaks,
  };
}

/** "about 12 minutes" (or "about 1 minute"). */
export function durationText(config: DesignFields): string {
  const { minutes } = estimateDuration(config);
  return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Written in the consent text where the estimated duration goes. */
export const DURATION_PLACEHOLDER = "{duration}";

/** The consent text as participants read it: {duration} becomes the design's estimate. */
export function consentTextFor(config: DesignFields & Pick<StudyConfig, "consentText">): string {
  return config.consentText.split(DURATION_PLACEHOLDER).join(durationText(config));
}
