// Where a model stream was computed, and the canonical choice among several copies of one run's
// stream: server first, else a researcher's browser, else the participant's browser. Dashboards,
// participant pages and exports all use this one order, so no analysis counts a run twice.
export const MODEL_SOURCES = ["server", "researcher_browser", "participant_browser"] as const;
export type ModelSourceName = (typeof MODEL_SOURCES)[number];
export type StreamChoice = ModelSourceName | "canonical";

/** Finished streams of one preset from one source, and how many of them are canonical. */
export type StreamInventory = {
  preset: string;
  source: ModelSourceName;
  streams: number;
  canonical: number;
};

/** A `?source=` value, or the canonical choice for anything else. */
export function parseStreamChoice(text: string | undefined): StreamChoice {
  return MODEL_SOURCES.includes(text as ModelSourceName) ? (text as ModelSourceName) : "canonical";
}
