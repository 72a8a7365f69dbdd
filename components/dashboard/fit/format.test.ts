import type { FitRow } from "@/lib/core/api-responses";

import { paramsOf } from "./format";

const row = (params: Record<string, unknown>): FitRow => ({
  id: "f1",
  runId: "r1",
  model: "flexible",
  params,
  uncertainty: { ci95: { tauRatio: [0.02, 0.2] }, method: { tauRatio: "profile" }, nearBound: [] },
  logLik: -100,
  bic: 230,
  nTrials: 480,
  nParams: 8,
  createdAt: "2026-12-02T10:00:00.000Z",
});

describe("paramsOf", () => {
  it("shows a study fit's group-informed estimate beside the participant's own", () => {
    const ps = paramsOf(
      row({
        tauW: 0.5,
        tauC: 0.025,
        beta: 10,
        groupInformed: {
          theta: { tauW: 0.4, tauC: 0.03, beta: 11 },
          quantities: { tauRatio: 0.075 },
          n: 20,
          iterations: 3,
        },
      }),
    );
    const by = Object.fromEntries(ps.map((p) => [p.name, p]));
    expect(by.tauRatio).toMatchObject({ value: 0.05, ci: [0.02, 0.2], group: 0.075 });
    expect(by.tauW).toMatchObject({ value: 0.5, group: 0.4 });
    expect(by.beta.group).toBe(11);
  });

  it("has no group value for a single-run fit", () => {
    const ps = paramsOf(row({ tauW: 0.5, tauC: 0.025 }));
    expect(ps.every((p) => p.group === null)).toBe(true);
  });
});
