// The fixture of the update tests (train-step.test.ts, nta-step.test.ts): every λ non-zero, a
// random state with one negative gate, a teacher and an explicit batch X with its targets and
// S = XᵀX/B.
import { type Architecture, type ModelParams, gatesPerPath } from "../config";
import { FastRng } from "../random";

export const stepTestParams: ModelParams = {
  tauW: 0.5,
  tauC: 0.25,
  lambdaNonneg: 0.3,
  lambdaL1: 0.4,
  lambdaL2: 0.2,
  lambdaW: 0.05,
};

/** zeroGate: the second gate is exactly 0 (where the nonnegativity subgradient is −½λ_nn). */
export function stepTestSetup(arch: Architecture, B: number, seed: number, zeroGate = false) {
  const { paths: P, dOut: O, dIn: I } = arch;
  const Ng = gatesPerPath(arch);
  const r = new FastRng(seed);
  const W = Float64Array.from({ length: P * O * I }, () => 0.3 * r.normal());
  const c = Float64Array.from({ length: P * Ng }, (_, k) =>
    k === 0 ? -0.2 : zeroGate && k === 1 ? 0 : 0.3 + 0.5 * r.uniform(),
  ); // one negative gate
  const Wstar = Float64Array.from({ length: O * I }, () => r.normal() / Math.sqrt(I));
  const X = Float64Array.from({ length: B * I }, () => r.normal());
  const Y = new Float64Array(B * O);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < O; i++)
      for (let j = 0; j < I; j++) Y[b * O + i] += X[b * I + j] * Wstar[i * I + j];
  const S = new Float64Array(I * I);
  for (let b = 0; b < B; b++)
    for (let j = 0; j < I; j++)
      for (let k = 0; k < I; k++) S[j * I + k] += (X[b * I + j] * X[b * I + k]) / B;
  return { W, c, Wstar, X, Y, S, Ng };
}
