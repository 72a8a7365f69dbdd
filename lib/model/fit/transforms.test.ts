import {
  MODEL_PARAMS,
  PRIOR,
  boundsU,
  dThetaDu,
  fromU,
  modelParamsFor,
  thetaFromU,
  toU,
  uFromTheta,
} from "./transforms";

describe("fit transforms", () => {
  it("round-trips θ → u → θ for every parameter across its prior box", () => {
    for (const s of Object.values(PRIOR))
      for (const v of [s.lo, (s.lo + s.hi) / 2, s.hi])
        expect(fromU(s, toU(s, v))).toBeCloseTo(v, 10);
    const theta = { tauW: 0.12, tauC: 0.02, lambda: 0.1, prior: 0.4, beta: 5, lapse: 0.05 };
    expect(thetaFromU("flexible", uFromTheta("flexible", theta))).toEqual(
      Object.fromEntries(Object.entries(theta).map(([k, v]) => [k, expect.closeTo(v, 10)])),
    );
  });

  it("keeps lapse inside (0, ½) whatever u is, and dθ/du matches a finite difference", () => {
    expect(fromU(PRIOR.lapse, 50)).toBeLessThanOrEqual(0.5);
    expect(fromU(PRIOR.lapse, -50)).toBeGreaterThan(0);
    for (const s of Object.values(PRIOR)) {
      const u = toU(s, (s.lo + s.hi) / 2),
        h = 1e-6;
      expect(dThetaDu(s, u)).toBeCloseTo((fromU(s, u + h) - fromU(s, u - h)) / (2 * h), 5);
    }
  });

  it("ties λ_nonneg : λ_L1 at 1 : 2 for flexible and turns regularisers off with τ_c = τ_w for forgetful", () => {
    expect(modelParamsFor("flexible", { tauW: 0.1, tauC: 0.02, lambda: 0.07, prior: 0.3 })).toEqual(
      {
        prior: 0.3,
        tauW: 0.1,
        tauC: 0.02,
        lambdaNonneg: 0.07,
        lambdaL1: 0.14,
        lambdaL2: 0,
        lambdaW: 0,
      },
    );
    expect(modelParamsFor("forgetful", { tau: 0.3 })).toEqual({
      prior: 0,
      tauW: 0.3,
      tauC: 0.3,
      lambdaNonneg: 0,
      lambdaL1: 0,
      lambdaL2: 0,
      lambdaW: 0,
    });
    expect(MODEL_PARAMS.flexible).toHaveLength(6);
    expect(MODEL_PARAMS.forgetful).toHaveLength(4);
    // chance has no free β or lapse; they come back fixed in θ
    expect(thetaFromU("chance", [0.4])).toEqual({ beta: 1, lapse: 0.002, bias: 0.4 });
    const b = boundsU("flexible");
    expect(b.lo.every((lo, i) => lo < b.hi[i])).toBe(true);
  });
});
