import { createRng } from "@/lib/core/rng";

import { initBackend } from "../backend";
import type { StimulusSequence } from "../stimulus-trials";

import { jsEngine, tfjsEngine } from "./engine";
import { ddmLogDensity, ddmLogSurvival } from "./ddm";
import {
  choiceProb,
  choicesFor,
  countChoices,
  countObservations,
  ddmLogLikelihood,
  fitDataFor,
  linkLogLikelihood,
  logLikelihood,
  marginalLinkLogLikelihood,
  marginalLogLikelihood,
  predictedCorrect,
  sampleDdmData,
} from "./likelihood";
import { modelParamsFor } from "./transforms";

beforeAll(async () => {
  await initBackend(["wasm"]);
});

// Two one-hot stimuli; trials: s0 (+1), s0 (+1), s1 (−1). W starts at exactly 0 (initScale 0).
const trial = (t: number, s: number, y: number) => ({
  input: s === 0 ? [1, 0] : [0, 1],
  target: [y],
  task: "a",
  blockIndex: 0,
  trialInBlock: t,
  trialIndex: t,
  stimulus: `s${s}`,
  correctResponse: y > 0 ? "j" : "f",
  congruent: true,
});
const seq: StimulusSequence = {
  keys: { left: "f", right: "j" },
  trials: [trial(0, 0, 1), trial(1, 0, 1), trial(2, 1, -1)],
};
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
    const beta = 4,
      lapse = 0.1;
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const choices = choicesFor(
      seq,
      new Map([
        [0, "j"],
        [1, "f"],
        [2, null],
      ]),
    );
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
    const y = Float64Array.from([0.5, -0.2, 0.9]),
      z = Float64Array.from([-0.5, 0.2, -0.9]);
    const ch = Int8Array.from([1, -1, 0]);
    expect(marginalLogLikelihood([y, y, y], ch, 4, 0.05)).toBeCloseTo(
      logLikelihood(y, ch, 4, 0.05),
      12,
    );
    const a = logLikelihood(y, ch, 4, 0.05),
      b = logLikelihood(z, ch, 4, 0.05);
    expect(marginalLogLikelihood([y, z], ch, 4, 0.05)).toBeCloseTo(
      Math.log((Math.exp(a) + Math.exp(b)) / 2),
      12,
    );
  });
});

describe("ddm link (choices and response times)", () => {
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const theta = { beta: 6, lapse: 0.04, bound: 1.2, ndt: 0.3 };
  const W = 2;

  it("maps stored responses to choices and seconds: a miss scores the window, a stray key or unsaved trial is skipped", () => {
    const trials = new Map([
      [0, { response: "j", rtMs: 640 }],
      [1, { response: null, rtMs: null }],
      [2, { response: "x", rtMs: 500 }],
    ]);
    const d = fitDataFor(seq, trials, 2000);
    expect(Array.from(d.choices)).toEqual([1, 0, 0]);
    expect(Array.from(d.rts!)).toEqual([0.64, Infinity, NaN]);
    expect(d.responseWindowS).toBe(2);
    expect(countObservations(d, "ddm")).toBe(2);
    expect(countObservations(d, "choice")).toBe(1);
    expect(
      Array.from(fitDataFor(seq, new Map([[0, { response: "f", rtMs: 700 }]]), 1500).rts!),
    ).toEqual([0.7, NaN, NaN]);
  });

  it("scores each trial as lapse/(2W) + (1 − lapse)·first-passage density, a miss as (1 − lapse)·survival", () => {
    const y = [0.4, -0.2, 0.1];
    const data = {
      choices: Int8Array.from([1, 1, 0]),
      rts: Float64Array.from([0.7, 0.25, Infinity]),
      responseWindowS: W,
    };
    const v = (yy: number) => (theta.beta / theta.bound) * yy;
    const byHand =
      Math.log(
        theta.lapse / (2 * W) +
          (1 - theta.lapse) * Math.exp(ddmLogDensity(1, 0.7 - theta.ndt, v(0.4), theta.bound)),
      ) +
      Math.log(theta.lapse / (2 * W)) + // rt 0.25 < T_er: only a lapse can explain it
      Math.log(1 - theta.lapse) +
      ddmLogSurvival(W - theta.ndt, v(0.1), theta.bound);
    expect(ddmLogLikelihood(y, data, theta.beta, theta.lapse, theta.bound, theta.ndt)).toBeCloseTo(
      byHand,
      10,
    );
    expect(linkLogLikelihood(y, data, "ddm", theta)).toBeCloseTo(byHand, 10);
    // several trajectories at once give the single-trajectory values (the shared density part is reused)
    const z = [-0.4, 0.3, 0.9];
    expect(marginalLinkLogLikelihood([y, z], data, "ddm", theta)).toBeCloseTo(
      Math.log(
        (Math.exp(byHand) +
          Math.exp(ddmLogLikelihood(z, data, theta.beta, theta.lapse, theta.bound, theta.ndt))) /
          2,
      ),
      10,
    );
  });

  it("is a proper distribution over (key, time, miss) whose choice margin is the choice link", () => {
    // ∫_0^W [p(+1, rt) + p(−1, rt)] drt + P(miss) = 1, and with no window ∫ p(s, rt) drt = lapse/2 + (1 − lapse)·σ(β·ŷ·s)
    const one = (y: number, s: 1 | -1, rt: number, window: number) =>
      Math.exp(
        ddmLogLikelihood(
          [y],
          { choices: Int8Array.from([s]), rts: Float64Array.from([rt]), responseWindowS: window },
          theta.beta,
          theta.lapse,
          theta.bound,
          theta.ndt,
        ),
      );
    const integrate = (f: (t: number) => number, a: number, b: number, n = 20000) => {
      const h = (b - a) / n;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += f(a + (i + 0.5) * h);
      return sum * h;
    };
    for (const y of [0, 0.3, -0.7]) {
      const miss = Math.exp(
        ddmLogLikelihood(
          [y],
          { choices: Int8Array.from([0]), rts: Float64Array.from([Infinity]), responseWindowS: W },
          theta.beta,
          theta.lapse,
          theta.bound,
          theta.ndt,
        ),
      );
      const total = integrate((t) => one(y, 1, t, W) + one(y, -1, t, W), 0, W) + miss;
      expect(total).toBeCloseTo(1, 4);
      // a long window: nothing is missed, and the key's probability is the choice link's
      const big = 60;
      const pRight =
        integrate((t) => one(y, 1, t, big) - theta.lapse / (2 * big), theta.ndt, theta.ndt + 12) +
        theta.lapse / 2;
      expect(pRight).toBeCloseTo(theta.lapse / 2 + (1 - theta.lapse) * sig(theta.beta * y), 4);
      expect(pRight).toBeCloseTo(choiceProb(y, 1, theta.beta, theta.lapse), 4);
    }
  });

  it("simulates data whose choices follow σ(β·ŷ) and whose times the link scores higher than shuffled times", () => {
    const n = 4000;
    const y = Float64Array.from({ length: n }, (_, t) => (t % 2 === 0 ? 0.5 : 0.05));
    const rng = createRng(5);
    const d = sampleDdmData(y, theta, W, rng.next);
    const strong = Array.from(d.choices).filter((c, t) => t % 2 === 0 && c !== 0);
    const pRight = strong.filter((c) => c === 1).length / strong.length;
    expect(Math.abs(pRight - choiceProb(0.5, 1, theta.beta, theta.lapse))).toBeLessThan(0.03);
    // weak-drift trials are slower on average (mean decision time falls with |v|)
    const meanRt = (parity: number) => {
      const rts = Array.from(d.rts!).filter((r, t) => t % 2 === parity && Number.isFinite(r));
      return rts.reduce((a, b) => a + b, 0) / rts.length;
    };
    expect(meanRt(1)).toBeGreaterThan(meanRt(0) + 0.05);
    // the link uses the times: the generating outputs beat the same outputs with the trials' drifts swapped
    const swapped = Float64Array.from(y, (_, t) => y[t ^ 1]);
    const ll = (o: Float64Array) =>
      ddmLogLikelihood(o, d, theta.beta, theta.lapse, theta.bound, theta.ndt);
    expect(ll(y)).toBeGreaterThan(ll(swapped) + 50);
  });
});
