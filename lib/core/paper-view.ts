// Paper-reproduction view: the figure numbers of a paper-mode run (lib/model summary.ts, passed in
// structurally so lib/core stays free of TF.js) shaped into chart rows, plus the acceptance bands of
// docs/science.md §7 beside the measured values. Bands are the paper's coarse claims, not tuning targets.

/** The parts of lib/model's PaperSummary this view reads. */
export type PaperFigureNumbers = {
  /** Complete blocks of the curriculum (20 for Fig. 2, 30 for Fig. 8). */
  blocks: number;
  lossCurve: { t: number[]; mean: number[] };
  fig2F: { mean: number[]; band: number[] };
  fig8B: { mean: number[][]; sd: number[][] };
  postSwitchMean: { mean: number[]; sd: number[] };
  gatesAtBlockEnds: number[][];
  totalAlignment: { mean: number; sd: number } | null;
};

/** docs/science.md §7 as numbers, [low, high] per claim: the one definition, read by the /paper view
 * and by the engine's acceptance test (lib/model/simulate-paper.test.ts). */
export const PAPER_BANDS = {
  fig8: {
    flexibleFirstSwitch: [0.12, 0.3],
    flexiblePlateau: [0.02, 0.08],
    forgetfulFirstSwitch: [0.08, 0.18],
    forgetfulLate: [0.19, 0.3],
    flexibleAlignment: [0.97, 1.01],
    forgetfulAlignment: [0.58, 0.75],
    flexibleGateHigh: [0.85, 1.1],
    flexibleGateLow: [-0.05, 0.15],
  },
  fig2: {
    flexibleStart: [0.55, 0.9],
    forgetfulStart: [0.55, 0.9],
    forgetfulPlateau: [0.37, 0.51],
    flexibleEnd: [0, 0.1],
    flexibleAlignment: [0.9, 1.01],
    forgetfulAlignment: [0.6, 0.76],
  },
} as const satisfies Record<string, Record<string, readonly [number, number]>>;

export type Band = {
  key: string;
  claim: string;
  low: number;
  high: number;
  measured: number | null;
  within: boolean | null;
};

const bandOf =
  <F extends keyof typeof PAPER_BANDS>(figure: F) =>
  (
    key: keyof (typeof PAPER_BANDS)[F] & string,
    claim: string,
    measured: number | null | undefined,
  ): Band => {
    const [low, high] = PAPER_BANDS[figure][key] as readonly [number, number];
    const m =
      measured === undefined || measured === null || !Number.isFinite(measured) ? null : measured;
    return {
      key,
      claim,
      low,
      high,
      measured: m,
      within: m === null ? null : m >= low && m <= high,
    };
  };
const meanOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

type Row = Record<string, number | null>;

/**
 * Standard error over `seeds` model seeds from a population SD (np.std, as the summaries store it):
 * SE = SD·√(n/(n−1))/√n = SD/√(n−1); null for a single seed (no spread to report).
 */
export const seedStandardError = (populationSd: number, seeds: number): number | null =>
  seeds > 1 ? populationSd / Math.sqrt(seeds - 1) : null;

/** Writes `key`, and `keyLo`/`keyHi` = mean ∓ SE over seeds when there is more than one seed. */
function withSe(
  row: Row,
  key: string,
  mean: number | undefined,
  sd: number | undefined,
  n: number,
) {
  row[key] = mean ?? null;
  const se = mean === undefined || sd === undefined ? null : seedStandardError(sd, n);
  row[`${key}Lo`] = se === null ? null : mean! - se;
  row[`${key}Hi`] = se === null ? null : mean! + se;
}

/** Fig. 8B rows: x = updates after the switch j = 1…5, one column per switch (`sw1`…), ± SE. */
export function toFig8BRows(s: PaperFigureNumbers, seeds: number) {
  const J = s.fig8B.mean[0]?.length ?? 0;
  return Array.from({ length: J }, (_, j) => {
    const row: Row = { step: j + 1 };
    s.fig8B.mean.forEach((curve, k) =>
      withSe(row, `sw${k + 1}`, curve[j], s.fig8B.sd[k]?.[j], seeds),
    );
    return row;
  });
}

/** Mean loss over the first 5 updates after each switch (blocks − 1 switches), ± SE over seeds. */
export function toPostSwitchRows(runs: Record<string, PaperFigureNumbers>, seeds: number) {
  const K = Math.max(
    0,
    ...Object.values(runs).map((s) => Math.min(s.blocks - 1, s.postSwitchMean.mean.length)),
  );
  return Array.from({ length: K }, (_, k) => {
    const row: Row = { switchIndex: k + 1 };
    for (const [key, s] of Object.entries(runs))
      withSe(row, key, s.postSwitchMean.mean[k], s.postSwitchMean.sd[k], seeds);
    return row;
  });
}

/** Fig. 2A rows: x = training time in blocks (bin centres), mean loss per run. */
export function toLossCurveRows(runs: Record<string, PaperFigureNumbers>) {
  const first = Object.values(runs)[0];
  return (first?.lossCurve.t ?? []).map((t, i) => {
    const row: Row = { t };
    for (const [key, s] of Object.entries(runs)) row[key] = s.lossCurve.mean[i] ?? null;
    return row;
  });
}

/** Fig. 2F rows: x = block 1…blocks, time to L < 0.1 in τ_w units per run, ± the paper's band. */
export function toFig2FRows(runs: Record<string, PaperFigureNumbers>) {
  const B = Math.max(0, ...Object.values(runs).map((s) => Math.min(s.blocks, s.fig2F.mean.length)));
  return Array.from({ length: B }, (_, b) => {
    const row: Row = { block: b + 1 };
    for (const [key, s] of Object.entries(runs)) {
      const m = s.fig2F.mean[b];
      const w = s.fig2F.band[b];
      row[key] = m ?? null;
      row[`${key}Lo`] = m === undefined || w === undefined ? null : m - w;
      row[`${key}Hi`] = m === undefined || w === undefined ? null : m + w;
    }
    return row;
  });
}

/** Sorted gates at the last step of each block 1…blocks: columns `<run>Gate<p>`. */
export function toGateRows(runs: Record<string, PaperFigureNumbers>) {
  const B = Math.max(
    0,
    ...Object.values(runs).map((s) => Math.min(s.blocks, s.gatesAtBlockEnds.length)),
  );
  return Array.from({ length: B }, (_, b) => {
    const row: Row = { block: b + 1 };
    for (const [key, s] of Object.entries(runs))
      (s.gatesAtBlockEnds[b] ?? []).forEach((g, p) => (row[`${key}Gate${p + 1}`] = g));
    return row;
  });
}

/** Seeds typed into the /paper form: a whole number 1…max, or the message to show instead. */
export function parseSeeds(text: string, max = 50): { seeds: number } | { error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: `Seeds must be a whole number from 1 to ${max}.` };
  const n = Number(t);
  if (n < 1 || n > max) return { error: `Seeds must be from 1 to ${max} (got ${n}).` };
  return { seeds: n };
}

/** docs/science.md §7, Fig. 8: measured values beside the paper's claims. */
export function computeFig8Bands(
  flexible: PaperFigureNumbers,
  forgetful: PaperFigureNumbers,
): Band[] {
  const band = bandOf("fig8");
  const fl = flexible.postSwitchMean.mean,
    fo = forgetful.postSwitchMean.mean;
  const lastGates = flexible.gatesAtBlockEnds.at(-1) ?? [NaN];
  return [
    band("flexibleFirstSwitch", "Flexible: mean loss, first 5 updates after switch 1 ≈ 0.2", fl[0]),
    band(
      "flexiblePlateau",
      "Flexible: plateau ≈ 0.05 from about switch 5 (mean of switches 6 on)",
      meanOf(fl.slice(5)),
    ),
    band("forgetfulFirstSwitch", "Forgetful: first switch ≈ 0.13", fo[0]),
    band(
      "forgetfulLate",
      "Forgetful: rises to ≈ 0.24 by switch 20 (mean of switches 19 on)",
      meanOf(fo.slice(18)),
    ),
    band(
      "flexibleAlignment",
      "Flexible: total alignment at the end ≈ 0.99",
      flexible.totalAlignment?.mean,
    ),
    band(
      "forgetfulAlignment",
      "Forgetful: total alignment at the end ≈ 0.65",
      forgetful.totalAlignment?.mean,
    ),
    band("flexibleGateHigh", "Flexible: larger gate at the end ≈ 0.96", Math.max(...lastGates)),
    band("flexibleGateLow", "Flexible: smaller gate at the end ≈ 0.06", Math.min(...lastGates)),
  ];
}

/** docs/science.md §7, Fig. 2: measured values beside the paper's claims (time in τ_w units). */
export function computeFig2Bands(
  flexible: PaperFigureNumbers,
  forgetful: PaperFigureNumbers,
): Band[] {
  const band = bandOf("fig2");
  const fl = flexible.fig2F.mean,
    fo = forgetful.fig2F.mean;
  return [
    band(
      "flexibleStart",
      "Flexible: blocks 1–2 take ≈ 0.7 τ_w to reach L < 0.1",
      meanOf(fl.slice(0, 2)),
    ),
    band("forgetfulStart", "Forgetful: blocks 1–2 ≈ 0.7 τ_w", meanOf(fo.slice(0, 2))),
    band(
      "forgetfulPlateau",
      "Forgetful: levels off ≈ 0.44 τ_w (mean of blocks 6–20)",
      meanOf(fo.slice(5, Math.min(20, fo.length - 1))), // the last entry is a tape fragment
    ),
    band("flexibleEnd", "Flexible: falls to ≈ 0.04 τ_w by block 20", fl[19] ?? fl[fl.length - 1]),
    band(
      "flexibleAlignment",
      "Flexible: total alignment at the end ≈ 1.0",
      flexible.totalAlignment?.mean,
    ),
    band(
      "forgetfulAlignment",
      "Forgetful: total alignment at the end ≈ 0.68",
      forgetful.totalAlignment?.mean,
    ),
  ];
}
