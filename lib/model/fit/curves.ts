// Fitted vs observed recovery curves (the Fig. 8 view, docs/science.md §11): error rate at
// positions 1…J after each switch, split into practice levels (early vs late switches), for the
// participant's choices and for each fitted model's predicted P(error) on the same trials.
import type { StimulusSequence } from "../stimulus-trials";

export type FitCurvePoint = {
  level: number;
  position: number;
  /** Observed error rate over trials with a response (null if none). */
  observed: number | null;
  /** Mean predicted P(error) per fitted model, over the same trials. */
  predicted: Record<string, number | null>;
  n: number;
};

/**
 * Switch trials are those in blocks k ≥ 1 (block k starts right after switch k); levels split the
 * switches into `levels` consecutive groups. `predictedCorrect[model][t]` = P(correct key) on trial t.
 */
export function fitRecoveryCurves(
  seq: StimulusSequence,
  choices: Int8Array,
  predictedCorrect: Record<string, ArrayLike<number>>,
  opts: { positions?: number; levels?: number } = {},
): FitCurvePoint[] {
  const J = opts.positions ?? 6;
  const switches = [
    ...new Set(seq.trials.filter((t) => t.blockIndex >= 1).map((t) => t.blockIndex)),
  ].sort((a, b) => a - b);
  const L = Math.max(1, Math.min(opts.levels ?? 2, switches.length));
  const levelOf = new Map(switches.map((k, i) => [k, Math.floor((i * L) / switches.length)]));
  const models = Object.keys(predictedCorrect);
  const acc = new Map<string, { err: number; n: number; pred: Record<string, number> }>();
  seq.trials.forEach((tr, t) => {
    const level = levelOf.get(tr.blockIndex);
    if (level === undefined || tr.trialInBlock >= J || choices[t] === 0) return;
    const key = `${level}:${tr.trialInBlock + 1}`;
    const a = acc.get(key) ?? { err: 0, n: 0, pred: Object.fromEntries(models.map((m) => [m, 0])) };
    a.n++;
    if (choices[t] !== (tr.target[0] > 0 ? 1 : -1)) a.err++;
    for (const m of models) a.pred[m] += 1 - predictedCorrect[m][t];
    acc.set(key, a);
  });
  const points: FitCurvePoint[] = [];
  for (let level = 0; level < L; level++)
    for (let position = 1; position <= J; position++) {
      const a = acc.get(`${level}:${position}`);
      points.push({
        level,
        position,
        n: a?.n ?? 0,
        observed: a ? a.err / a.n : null,
        predicted: Object.fromEntries(models.map((m) => [m, a ? a.pred[m] / a.n : null])),
      });
    }
  return points;
}
