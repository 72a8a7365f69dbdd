import { initBackend } from "../backend";
import type { StimulusSequence } from "../stimulus-trials";

import { jsEngine, tfjsEngine } from "./engine";
import { choiceProb, choicesFor, countChoices, logLikelihood, marginalLogLikelihood, predictedCorrect } from "./likelihood";
import { modelParamsFor } from "./transforms";

beforeAll(async () => {
  await initBackend(["wasm"]);
});

// Two one-hot stimuli; trials: s0 (+1), s0 (+1), s1 (−1). W starts at exactly 0 (initScale 0).
const trial = (t: number, s: number, y: number) => ({
  input: s === 0 ? [1, 0] : [0, 1], target: [y], task: "a", blockIndex: 0, trialInBlock: t, trialIndex: t,
  stimulus: `s${s}`, correctResponse: y > 0 ? "j" : "f", congruent: true,
});
const seq: StimulusSequence = { keys: { left: "f", right: "j" }, trials: [trial(0, 0, 1), trial(1, 0, 1), trial(2, 1, -1)] };
const arch = { paths: 2, dt: 0.02, gating: "path" as const, initScale: 0, initGate: 0.5 };

describe("fit likelihood", () => {
  it("reproduces ŷ computed by hand from the update rule, in both engines", async () => {
    // Trial 0: ŷ = 0, e = 1, G = x; ⟨W_p, G⟩ = 0 and ‖c‖₁ = 1 so the gates stay at ½;
    // W_p ← η_w·½·x with η_w = dt/τ_w = 0.02/0.1 = 0.2. Trial 1 (same stimulus): ŷ = 2·½·0.2·½ = 0.1.
    // Trial 2 (other one-hot stimulus): its column of W is still 0, so ŷ = 0.
    const p = modelParamsFor("flexible", { tauW: 0.1, tauC: 0.05, lambda: 0.1 });
    for (const engine of [jsEngine(arch, seq, 1), tfjsEngine(arch, seq, 1)]) {
      const [y] = await engine([p]);
      expect(y[0]).toBeCloseTo(0, 7);
      expect(y[1]).toBeCloseTo(0.1, 6);
      expect(y[2]).toBeCloseTo(0, 7);
    }
  });

  it("scores each choice as lapse/2 + (1 − lapse)·σ(β·ŷ·s) and skips missed responses", () => {
    const y = [0, 0.1, 0];
    const beta = 4, lapse = 0.1;
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const choices = choicesFor(seq, new Map([[0, "j"], [1, "f"], [2, null]]));
    expect(Array.from(choices)).toEqual([1, -1, 0]);
    expect(countChoices(choices)).toBe(2);
    const byHand = Math.log(0.05 + 0.9 * sig(0)) + Math.log(0.05 + 0.9 * sig(-0.4));
    expect(logLikelihood(y, choices, beta, lapse)).toBeCloseTo(byHand, 12);
  });

  it("has the right limits in β and lapse", () => {
    expect(choiceProb(0.3, 1, 0, 0)).toBeCloseTo(0.5, 12); // β = 0: chance
    expect(choiceProb(0.3, 1, 1e4, 0)).toBeCloseTo(1, 9); // β → ∞: deterministic sign of ŷ
    expect(choiceProb(0.3, -1, 1e4, 0)).toBeCloseTo(0, 9);
    expect(choiceProb(0.3, -1, 1e4, 0.2)).toBeCloseTo(0.1, 9); // lapse floor lapse/2
    expect(choiceProb(0.3, 1, 1e4, 0.2)).toBeCloseTo(0.9, 9);
    expect(choiceProb(0.3, 1, 3, 1)).toBeCloseTo(0.5, 12); // lapse 1: coin flip
    expect(choiceProb(Number.NaN, 1, 3, 0.1)).toBeCloseTo(0.5, 12); // diverged model: chance
    expect(Number.isFinite(logLikelihood([1e6], Int8Array.from([-1]), 30, 0.01))).toBe(true);
  });

  it("predicts P(correct) from the target's side", () => {
    const pc = predictedCorrect([0.5, -0.5, 0.5], seq, 2, 0);
    expect(pc[0]).toBeGreaterThan(0.5); // target +1, ŷ > 0
    expect(pc[1]).toBeLessThan(0.5); // target +1, ŷ < 0
    expect(pc[2]).toBeLessThan(0.5); // target −1, ŷ > 0
  });
});

describe("marginal likelihood over initialisations", () => {
  it("equals the single-trajectory likelihood when all initialisations agree, and log-mean-exps otherwise", () => {
    const y = Float64Array.from([0.5, -0.2, 0.9]), z = Float64Array.from([-0.5, 0.2, -0.9]);
    const ch = Int8Array.from([1, -1, 0]);
    expect(marginalLogLikelihood([y, y, y], ch, 4, 0.05)).toBeCloseTo(logLikelihood(y, ch, 4, 0.05), 12);
    const a = logLikelihood(y, ch, 4, 0.05), b = logLikelihood(z, ch, 4, 0.05);
    expect(marginalLogLikelihood([y, z], ch, 4, 0.05)).toBeCloseTo(Math.log((Math.exp(a) + Math.exp(b)) / 2), 12);
  });
});
