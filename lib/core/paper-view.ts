// Paper-reproduction view: the figure numbers of a paper-mode run (lib/model summary.ts, passed in
// structurally so lib/core stays free of TF.js) shaped into chart rows, plus the acceptance bands of
// docs/science.md §7 beside the measured values. Bands are the paper's coarse claims, not tuning targets.

/** The parts of lib/model's PaperSummary this view reads. */
export type PaperFigureNumbers = {
  fig2F: { mean: number[]; band: number[] };
  fig8B: { mean: number[][]; sd: number[][] };
  postSwitchMean: { mean: number[]; sd: number[] };
  gatesAtBlockEnds: number[][];
  totalAlignment: { mean: number; sd: number } | null;
};

export type Band = {
  claim: string;
  low: number;
  high: number;
  measured: number | null;
  within: boolean | null;
};

const band = (
  claim: string,
  low: number,
  high: number,
  measured: number | null | undefined,
): Band => {
  const m =
    measured === undefined || measured === null || !Number.isFinite(measured) ? null : measured;
  return { claim, low, high, measured: m, within: m === null ? null : m >= low && m <= high };
};
const meanOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Fig. 8B rows: x = updates after the switch j = 1…5, one column per switch (`sw1`…`sw4`). */
export function toFig8BRows(s: PaperFigureNumbers) {
  const J = s.fig8B.mean[0]?.length ?? 0;
  return Array.from({ length: J }, (_, j) => {
    const row: Record<string, number | null> = { step: j + 1 };
    s.fig8B.mean.forEach((curve, k) => (row[`sw${k + 1}`] = curve[j] ?? null));
    return row;
  });
}

/** Mean loss over the first 5 updates after each switch, per switch, for several runs. */
export function toPostSwitchRows(runs: Record<string, PaperFigureNumbers>) {
  const K = Math.max(0, ...Object.values(runs).map((s) => s.postSwitchMean.mean.length));
  return Array.from({ length: K }, (_, k) => {
    const row: Record<string, number | null> = { switchIndex: k + 1 };
    for (const [key, s] of Object.entries(runs)) row[key] = s.postSwitchMean.mean[k] ?? null;
    return row;
  });
}

/** Fig. 2F rows: x = block, time to L < 0.1 in τ_w units per run. */
export function toFig2FRows(runs: Record<string, PaperFigureNumbers>) {
  const B = Math.max(0, ...Object.values(runs).map((s) => s.fig2F.mean.length));
  return Array.from({ length: B }, (_, b) => {
    const row: Record<string, number | null> = { block: b + 1 };
    for (const [key, s] of Object.entries(runs)) row[key] = s.fig2F.mean[b] ?? null;
    return row;
  });
}

/** Sorted gates at the end of each block: columns `<run>Gate<p>`. */
export function toGateRows(runs: Record<string, PaperFigureNumbers>) {
  const B = Math.max(0, ...Object.values(runs).map((s) => s.gatesAtBlockEnds.length));
  return Array.from({ length: B }, (_, b) => {
    const row: Record<string, number | null> = { block: b + 1 };
    for (const [key, s] of Object.entries(runs))
      (s.gatesAtBlockEnds[b] ?? []).forEach((g, p) => (row[`${key}Gate${p + 1}`] = g));
    return row;
  });
}

/** Mean over seeds of per-step curves, downsampled to at most `points` x positions (mean per bin). */
export function toDownsampledRows(
  curves: Record<string, number[][]>,
  xScale: number,
  points = 400,
) {
  const T = Math.max(0, ...Object.values(curves).flatMap((cs) => cs.map((c) => c.length)));
  const bin = Math.max(1, Math.ceil(T / points));
  const rows: Record<string, number | null>[] = [];
  for (let start = 0; start < T; start += bin) {
    const row: Record<string, number | null> = { t: (start + bin / 2) * xScale };
    for (const [key, cs] of Object.entries(curves)) {
      const vals = cs.flatMap((c) => Array.from(c.slice(start, start + bin)));
      row[key] = meanOf(vals);
    }
    rows.push(row);
  }
  return rows;
}

/** docs/science.md §7, Fig. 8: measured values beside the paper's claims. */
export function computeFig8Bands(
  flexible: PaperFigureNumbers,
  forgetful: PaperFigureNumbers,
): Band[] {
  const fl = flexible.postSwitchMean.mean,
    fo = forgetful.postSwitchMean.mean;
  return [
    band("Flexible: mean loss, first 5 updates after switch 1 ≈ 0.2", 0.1, 0.3, fl[0]),
    band(
      "Flexible: plateau ≈ 0.05 from about switch 5 (mean of switches 5–10)",
      0.02,
      0.1,
      meanOf(fl.slice(4, 10)),
    ),
    band("Forgetful: first switch ≈ 0.13", 0.07, 0.2, fo[0]),
    band("Forgetful: rises to ≈ 0.24 by switch 20", 0.15, 0.35, fo[19] ?? fo[fo.length - 1]),
    band("Flexible: total alignment at the end ≈ 0.99", 0.9, 1.01, flexible.totalAlignment?.mean),
    band(
      "Forgetful: total alignment at the end ≈ 0.65",
      0.55,
      0.75,
      forgetful.totalAlignment?.mean,
    ),
    band(
      "Flexible: larger gate at the end ≈ 0.96",
      0.85,
      1.1,
      Math.max(...(flexible.gatesAtBlockEnds.at(-1) ?? [NaN])),
    ),
    band(
      "Flexible: smaller gate at the end ≈ 0.06",
      -0.05,
      0.15,
      Math.min(...(flexible.gatesAtBlockEnds.at(-1) ?? [NaN])),
    ),
  ];
}

/** docs/science.md §7, Fig. 2: measured values beside the paper's claims (time in τ_w units). */
export function computeFig2Bands(
  flexible: PaperFigureNumbers,
  forgetful: PaperFigureNumbers,
): Band[] {
  const fl = flexible.fig2F.mean,
    fo = forgetful.fig2F.mean;
  return [
    band("Flexible: blocks 1–2 take ≈ 0.7 τ_w to reach L < 0.1", 0.5, 0.9, meanOf(fl.slice(0, 2))),
    band("Forgetful: blocks 1–2 ≈ 0.7 τ_w", 0.5, 0.9, meanOf(fo.slice(0, 2))),
    band(
      "Forgetful: levels off ≈ 0.44 τ_w (mean of blocks 5–20)",
      0.35,
      0.55,
      meanOf(fo.slice(4, 20)),
    ),
    band("Flexible: falls to ≈ 0.04 τ_w by block 20", 0, 0.1, fl[19] ?? fl[fl.length - 1]),
    band("Flexible: total alignment at the end ≈ 1.0", 0.9, 1.01, flexible.totalAlignment?.mean),
    band("Forgetful: total alignment at the end ≈ 0.68", 0.6, 0.76, forgetful.totalAlignment?.mean),
  ];
}
