// The one palette of every chart (colour-blind safe: Okabe & Ito 2008 for categories, viridis for
// ordered levels). Humans, the flexible model and the forgetful model keep the same colour on every
// page; nothing else may use those three colours. Practice levels are an ordered sequential scale:
// the earliest level is the darkest, later levels are lighter (stated in every legend title).

/** Fixed colours of the three streams compared throughout the app. */
export const STREAM_COLORS = {
  human: "#000000",
  flexible: "#0072B2",
  forgetful: "#D55E00",
} as const;

export type StreamKey = keyof typeof STREAM_COLORS;

/**
 * Other categories (baseline models, conditions, task pairs) in a fixed order; never one of the
 * STREAM_COLORS. Pick by index: `CATEGORY_COLORS[i % CATEGORY_COLORS.length]`.
 */
export const CATEGORY_COLORS = ["#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D31", "#7F7F7F"];

/** Colour of a stream key; unknown keys get a category colour by `index`. */
export function colorFor(key: string, index = 0): string {
  return key in STREAM_COLORS
    ? STREAM_COLORS[key as StreamKey]
    : CATEGORY_COLORS[index % CATEGORY_COLORS.length];
}

/** Line styles, distinguishable without colour (e.g. gate 1 solid, gate 2 dashed); shown in legends. */
export const DASHES = ["", "6 4", "2 3", "10 3 2 3"] as const;

// Viridis anchors (matplotlib), dark purple → yellow-green; the last, palest yellow is left out so
// every level stays readable on white.
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 73, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [181, 222, 43],
];

const hex = (v: number) => Math.round(v).toString(16).padStart(2, "0");

/** A colour at t ∈ [0, 1] on the sequential scale (0 = darkest). */
export function sequentialColor(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  return `#${[0, 1, 2].map((c) => hex(a[c] + f * (b[c] - a[c]))).join("")}`;
}

/**
 * Colours of `n` ordered practice levels, earliest darkest, spread over the whole scale so that
 * neighbours never look alike (2 levels: the two ends; 4: every third of the scale).
 */
export function levelColors(n: number): string[] {
  if (n <= 1) return [sequentialColor(0)];
  return Array.from({ length: n }, (_, i) => sequentialColor(i / (n - 1)));
}

/** Stated in every practice-level legend. */
export const LEVEL_ORDER_NOTE = "darkest = earliest switches";
