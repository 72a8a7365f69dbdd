// Descriptive baselines fitted beside the NTA models (docs/fitting.md "Baselines"). Each one turns
// its parameters into a signed evidence ŷ_t per trial — the same quantity the NTA engine outputs —
// so the links of likelihood.ts (choice: σ(β·ŷ·s) with a lapse; ddm: drift (β/A)·ŷ) score them
// unchanged:
//  - chance: ŷ_t = bias (β = 1): P(right) = σ(bias) on every trial, RTs from a drift-free diffusion.
//  - ruleConstant: a person who knows both rules and, after a switch, still applies the old rule
//    with weight w_j = w₀·e^{−(j−1)/ℓ} at position j of the block:
//    ŷ_t = (1 − w_j)·T_new(x_t) + w_j·T_old(x_t). Congruent stimuli (both rules agree) get ŷ = ±1
//    whatever w_j; incongruent ones get (1 − 2w_j)·target: errors (w_j > ½) and slow answers
//    (small |ŷ|) only there, decaying within the block, the same after every switch.
//  - rulePractice: the same with w₀ changing over the session, logit w₀(k) = logit w₀ + γ·(p_k − ½),
//    p_k = (k − 1)/(K − 1) the practice level of switch k of K (w₀ is the mid-session value): γ < 0 =
//    the switch cost falls with practice (the Fig. 8 signature without NTA), γ = 0 = ruleConstant.
// The first block (no switch before it) has w = 0.
import type { StimulusSequence } from "../stimulus-trials";

import type { BaselineName, Theta } from "./transforms";

/** Per trial: switch number k (1…K, 0 = not after a switch) and position j in the block (1-based). */
type SwitchLayout = {
  k: Int32Array;
  j: Int32Array;
  K: number;
  target: Float64Array;
  inc: Uint8Array;
};
const layoutCache = new WeakMap<StimulusSequence, SwitchLayout>();

function layout(seq: StimulusSequence): SwitchLayout {
  const hit = layoutCache.get(seq);
  if (hit) return hit;
  const N = seq.trials.length;
  const k = new Int32Array(N),
    j = new Int32Array(N);
  const blockTask = new Map<number, string>();
  for (const t of seq.trials) if (!blockTask.has(t.blockIndex)) blockTask.set(t.blockIndex, t.task);
  const switchBlocks = [...blockTask.keys()]
    .sort((a, b) => a - b)
    .filter((b) => blockTask.has(b - 1) && blockTask.get(b - 1) !== blockTask.get(b));
  const switchNo = new Map(switchBlocks.map((b, i) => [b, i + 1]));
  seq.trials.forEach((t, i) => {
    k[i] = switchNo.get(t.blockIndex) ?? 0;
    j[i] = t.trialInBlock + 1;
  });
  const out = {
    k,
    j,
    K: switchBlocks.length,
    target: Float64Array.from(seq.trials, (t) => t.target[0]),
    inc: Uint8Array.from(seq.trials, (t) => (t.congruent ? 0 : 1)),
  };
  layoutCache.set(seq, out);
  return out;
}

/** Old-rule weight w_j after switch k (0 outside post-switch blocks). */
export function interference(theta: Theta, k: number, K: number, j: number): number {
  if (k === 0) return 0;
  const practice = K > 1 ? (k - 1) / (K - 1) : 0.5;
  const c = theta.switchCost!;
  const z = Math.log(c / (1 - c)) + (theta.practice ?? 0) * (practice - 0.5);
  return Math.exp(-(j - 1) / theta.recovery!) / (1 + Math.exp(-z));
}

/** Signed evidence ŷ_t of a baseline on every trial of the sequence. */
export function baselineEvidence(
  model: BaselineName,
  theta: Theta,
  seq: StimulusSequence,
): Float64Array {
  const L = layout(seq);
  const N = L.target.length;
  if (model === "chance") return new Float64Array(N).fill(theta.bias!);
  const th = model === "ruleConstant" ? { ...theta, practice: 0 } : theta;
  const out = new Float64Array(N);
  for (let t = 0; t < N; t++) {
    const w = L.inc[t] ? interference(th, L.k[t], L.K, L.j[t]) : 0;
    out[t] = (1 - 2 * w) * L.target[t];
  }
  return out;
}
