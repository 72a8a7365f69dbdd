// Model configuration of the Neural Task Abstractions (NTA) gated linear network.
// Source: Sandbrink, Bauer, Proca, Saxe, Summerfield, Hummos, "Flexible task abstractions emerge in
// linear networks with fast and bounded units", NeurIPS 2024 (https://openreview.net/forum?id=AbTpJl7vN6),
// §3.2 and App. A.1–A.3, A.8; reference implementation aproca/neural_task_abstraction @02cb5c4
// (lcs/configs.py `Config`, lcs/joint_learning.py `regularization_loss_fn`, `simulate_`).
// Every constant below is as the authors' code runs it (docs/science.md §1–§3).

/** Hyperparameters of one model instance (one element of the batch). Time constants are in model
 * time units: τ = 1 reaches its target in about one time unit (ref lcs/configs.py:137). */
export type ModelParams = {
  /** τ_w: student weight time constant. The Euler step is dt/τ_w (docs/science.md §3). */
  tauW: number;
  /** τ_c: gate time constant. The Euler step is dt/τ_c (docs/science.md §3). */
  tauC: number;
  /** λ_nonneg on Σ_p max(0, −c_p), table units (docs/science.md §2.2). */
  lambdaNonneg: number;
  /** λ_norm-L1 on (‖c‖₁ − 1)², multiplying the squared term directly (docs/science.md §2.2; NOT ½λ). */
  lambdaL1: number;
  /** λ_norm-L2 on (‖c‖₂ − 1)², multiplying the squared term directly (docs/science.md §2.2). */
  lambdaL2: number;
  /** λ_W on Σ_p ‖W_p‖²_F (App. A.3 weight decay). Same "λ multiplies the square" convention. */
  lambdaW: number;
};

/** Architecture and integration settings shared by the whole batch. */
export type Architecture = {
  /** P: number of paths (student matrices and gates). */
  paths: number;
  /** d_in, d_out of every W_p ∈ R^{d_out×d_in}. */
  dIn: number;
  dOut: number;
  /** Euler step dt (docs/science.md §3). Fig 2: 0.001, Fig 8: 0.01. */
  dt: number;
  /** "path": one scalar gate per path (main text). "neuron": one gate per path and output unit (App. A.8). */
  gating: "path" | "neuron";
  /** σ in W_p[i,j] ~ N(0, (σ/√d_in)²) (docs/science.md §1.2, `initialization_scale` = 0.01). */
  initScale: number;
  /** Initial value of every gate (docs/science.md §1.2: 0.5 whatever P is). */
  initGate: number;
};

/** Batch size B of the Gaussian data stream in paper mode (docs/science.md §1.3). */
export const REF_BATCH_SIZE = 200;
/** σ of the student initialisation (docs/science.md §1.2). */
export const REF_INIT_SCALE = 0.01;
/** Initial gate value (docs/science.md §1.2). */
export const REF_INIT_GATE = 0.5;
/** Seed of the fixed teacher rotation. The authors use scipy `ortho_group.rvs(d_in, random_state=567456245)`;
 * deviation from ref impl: our Haar draw uses our own RNG with the same seed number, so R differs, which
 * docs/science.md §1.1 says does not change the distribution of any reported quantity. */
export const REF_TEACHER_SEED = 567456245;
/** Hard-coded ×10 on the nonnegativity and L1 terms in `regularization_loss_fn` (docs/science.md §2.3). We take
 * table-unit λ's directly; this constant only converts the authors' (strength, weights) configs. */
export const REF_NONNEG_L1_FACTOR = 10;

export const defaultArchitecture = (overrides: Partial<Architecture> = {}): Architecture => ({
  paths: 2,
  dIn: 20,
  dOut: 10,
  dt: 0.001,
  gating: "path",
  initScale: REF_INIT_SCALE,
  initGate: REF_INIT_GATE,
  ...overrides,
});

/** Convert the authors' config (regularization_strength s; list weights) to table-unit λ's (docs/science.md §2.3). */
export function lambdasFromRefConfig(
  strength: number,
  weights: { nonneg?: number; L1?: number; L2?: number; L2W?: number },
): Pick<ModelParams, "lambdaNonneg" | "lambdaL1" | "lambdaL2"> {
  const nn = weights.nonneg ?? 0,
    l1 = weights.L1 ?? 0,
    l2 = weights.L2 ?? 0,
    lw = weights.L2W ?? 0;
  const total = nn + l1 + l2 + lw;
  if (total === 0 || strength === 0) return { lambdaNonneg: 0, lambdaL1: 0, lambdaL2: 0 };
  return {
    lambdaNonneg: (REF_NONNEG_L1_FACTOR * strength * nn) / total, // ×10 hard-coded in ref impl
    lambdaL1: (REF_NONNEG_L1_FACTOR * 0.5 * strength * l1) / total, // 10·0.5·(‖c‖₁−1)²
    lambdaL2: (0.5 * strength * l2) / total, // 0.5·(‖c‖₂−1)², no ×10
  };
}

function positive(name: string, v: number) {
  if (!(Number.isFinite(v) && v > 0)) throw new Error(`Expected ${name} > 0, but got ${v}`);
}
function nonNegative(name: string, v: number) {
  if (!(Number.isFinite(v) && v >= 0)) throw new Error(`Expected ${name} ≥ 0, but got ${v}`);
}
function positiveInt(name: string, v: number) {
  if (!(Number.isInteger(v) && v > 0))
    throw new Error(`Expected ${name} to be a positive integer, but got ${v}`);
}

export function validateParams(p: ModelParams, where = "params"): void {
  positive(`${where}.tauW`, p.tauW);
  positive(`${where}.tauC`, p.tauC);
  nonNegative(`${where}.lambdaNonneg`, p.lambdaNonneg);
  nonNegative(`${where}.lambdaL1`, p.lambdaL1);
  nonNegative(`${where}.lambdaL2`, p.lambdaL2);
  nonNegative(`${where}.lambdaW`, p.lambdaW);
}

export function validateArchitecture(a: Architecture): void {
  positiveInt("paths", a.paths);
  positiveInt("dIn", a.dIn);
  positiveInt("dOut", a.dOut);
  positive("dt", a.dt);
  nonNegative("initScale", a.initScale);
  if (a.gating !== "path" && a.gating !== "neuron")
    throw new Error(`Unknown gating "${String(a.gating)}"`);
}

/** Number of gates per path: 1 (per-path gates) or d_out (per-neuron gates, App. A.8). */
export const gatesPerPath = (a: Architecture): number => (a.gating === "neuron" ? a.dOut : 1);
