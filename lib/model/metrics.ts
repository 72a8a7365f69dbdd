// Figure metrics exactly as the authors' figure code computes them (docs/science.md §5):
// Fig 2F time to L_task < 0.1 (mnist_lcs_plotting_utils.py `get_first_crossing_times`), Fig 8B loss
// after a switch (fig8_task_switching.ipynb `plot_switches`), gates at block ends, student–teacher
// alignment with `sort_it`, and total alignment (`compute_concat_cossim`). Pure functions on
// plain arrays (one batch element at a time), so they also run on results loaded from JSON.

/** numpy.gradient with unit spacing: central differences inside, one-sided at the ends. */
export function npGradient(f: ArrayLike<number>): Float64Array {
  const n = f.length;
  const g = new Float64Array(n);
  if (n < 2) return g;
  g[0] = f[1] - f[0];
  g[n - 1] = f[n - 1] - f[n - 2];
  for (let i = 1; i < n - 1; i++) g[i] = (f[i + 1] - f[i - 1]) / 2;
  return g;
}

/** Tape entries flagged as switches: |np.gradient(c_gt)/dt_tape| > thr (docs/science.md §5.1 step 1, §5.2 step 1). */
export function flaggedSwitches(
  blockTape: ArrayLike<number>,
  dtTape: number,
  thr: number,
): number[] {
  const g = npGradient(blockTape);
  const out: number[] = [];
  g.forEach((v, i) => Math.abs(v / dtTape) > thr && out.push(i));
  return out;
}

/** Values of a per-step series at the tape steps. */
export const onTape = (perStep: ArrayLike<number>, tapeSteps: ArrayLike<number>): Float64Array =>
  Float64Array.from(tapeSteps as ArrayLike<number>, (t) => perStep[t]);

/** Block index of every tape entry (the c_gt signal: changes exactly at block switches). */
export const blockTape = (tapeSteps: ArrayLike<number>, stepsPerBlock: number): Float64Array =>
  Float64Array.from(tapeSteps as ArrayLike<number>, (t) => Math.floor(t / stepsPerBlock));

/**
 * Fig 2F: per tape segment, the time until L_task < thsd, in units of τ_w (docs/science.md §5.1).
 * Split at flagged+1, drop segments of length ≤ 2, idx = first index below threshold or len−1,
 * time = idx·dt_tape/τ_w.
 */
export function firstCrossingTimes(
  lossTape: ArrayLike<number>,
  blocks: ArrayLike<number>,
  dtTape: number,
  tauW: number,
  thsd = 0.1,
): number[] {
  const cuts = flaggedSwitches(blocks, dtTape, 0.2).map((i) => i + 1);
  const bounds = [0, ...cuts, lossTape.length];
  const times: number[] = [];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const [a, b] = [bounds[s], bounds[s + 1]];
    if (b - a <= 2) continue;
    let idx = b - a - 1;
    for (let i = a; i < b; i++)
      if (lossTape[i] < thsd) {
        idx = i - a;
        break;
      }
    times.push((idx * dtTape) / tauW);
  }
  return times;
}

/** Clean per-step Fig 2F: updates from block start until the per-step loss first drops below thsd
 * (stepsPerBlock if never). One entry per complete block. */
export function stepsToThreshold(
  loss: ArrayLike<number>,
  stepsPerBlock: number,
  blocks: number,
  thsd = 0.1,
): number[] {
  return Array.from({ length: blocks }, (_, b) => {
    for (let j = 0; j < stepsPerBlock; j++) if (loss[b * stepsPerBlock + j] < thsd) return j;
    return stepsPerBlock;
  });
}

/** Loss after j = 1…J updates following switch k = 1…K (per step: loss at step k·spb + j). */
export function postSwitchLoss(
  loss: ArrayLike<number>,
  stepsPerBlock: number,
  switches: number,
  J = 5,
): number[][] {
  return Array.from({ length: switches }, (_, k) =>
    Array.from({ length: J }, (_, j) => loss[(k + 1) * stepsPerBlock + j + 1]),
  );
}

/** Fig 8B exactly (docs/science.md §5.2): switches t_sw from the tape context ([::2]), first `count`,
 * entries t_sw+2 … t_sw+6 → x = 1…5. */
export function fig8BTape(
  lossTape: ArrayLike<number>,
  blocks: ArrayLike<number>,
  dtTape: number,
  count = 4,
): number[][] {
  const tsw = flaggedSwitches(blocks, dtTape, 0.1)
    .filter((_, i) => i % 2 === 0)
    .slice(0, count);
  return tsw.map((t) => [2, 3, 4, 5, 6].map((d) => lossTape[t + d]));
}

/**
 * sort_it (docs/science.md §5.3): for p = 0…P−1, matched(p) = argmax_m mean_tape cos[:, m, p]; swap paths p and
 * matched(p) if they differ (sequentially, on the already-swapped arrays). Returns perm with
 * perm[q] = original path now at position q. cosTape: [T, P, M] (path-major per entry).
 */
export function sortPaths(cosTape: ArrayLike<number>, T: number, P: number, M: number): number[] {
  const mean = new Float64Array(P * M); // mean over the tape: [P, M]
  for (let t = 0; t < T; t++) for (let k = 0; k < P * M; k++) mean[k] += cosTape[t * P * M + k] / T;
  const perm = Array.from({ length: P }, (_, p) => p);
  for (let p = 0; p < P; p++) {
    let best = 0;
    for (let m = 1; m < M; m++) if (mean[perm[p] * M + m] > mean[perm[p] * M + best]) best = m;
    if (best !== p && best < P) [perm[p], perm[best]] = [perm[best], perm[p]];
  }
  return perm;
}

/** Total alignment (Fig 5, docs/science.md §5.4): mean row cosine between the stacked teachers and the stacked
 * sorted students = mean over m of cos[sorted path m, teacher m] at one tape entry. */
export function totalAlignment(cosEntry: ArrayLike<number>, perm: number[], M: number): number {
  const n = Math.min(perm.length, M);
  let s = 0;
  for (let m = 0; m < n; m++) s += cosEntry[perm[m] * M + m];
  return s / n;
}

export const mean = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
};

/** Population SD (np.std), as Fig 8B's error bars (docs/science.md §5.2). */
export const sd = (xs: ArrayLike<number>): number => {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / xs.length);
};

/** Column-wise mean and SD over seeds of equally long rows. */
export function acrossSeeds(rows: number[][]): { mean: number[]; sd: number[] } {
  const n = Math.min(...rows.map((r) => r.length));
  const col = (i: number) => rows.map((r) => r[i]);
  return {
    mean: Array.from({ length: n }, (_, i) => mean(col(i))),
    sd: Array.from({ length: n }, (_, i) => sd(col(i))),
  };
}
