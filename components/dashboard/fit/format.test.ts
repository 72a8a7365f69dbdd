// The fit panel reads GET /api/studies/<id>/fits through lib/core's schema: a well-formed body
// passes unchanged, a malformed one becomes a readable error naming the field (the panel shows it
// in its error box instead of crashing while rendering); paramsOf shows a study fit's group-informed
// estimates beside the participant's own.
import { expectTypeOf } from "vitest";
import type { z } from "zod";

import type { FitRow, fitsResponseSchema } from "@/lib/core/api-responses";

import { type FitsResponse, paramsOf, parseFitsBody } from "./format";

const fit = {
  id: "f1",
  runId: "r1",
  model: "flexible",
  params: { tauW: 10, link: "ddm" },
  uncertainty: { hessianPD: true, ci95: { tauW: [5, 20] }, method: { tauW: "profile" } },
  logLik: -40.5,
  bic: 95.2,
  nTrials: 31,
  nParams: 6,
  createdAt: "2026-12-02T10:00:00.000Z",
};
const body = {
  fits: [fit],
  jobs: [
    {
      id: "j1",
      runId: "r1",
      status: "done",
      progress: 1,
      message: null,
      error: null,
      createdAt: "2026-12-02T09:59:00.000Z",
    },
  ],
  comparisons: { r1: null },
  comparison: null,
};

describe("parseFitsBody", () => {
  it("passes a well-formed body through", () => {
    expect(parseFitsBody(body)).toEqual({ data: body });
  });

  it("names the field of a malformed body", () => {
    const bad = { ...body, fits: [{ ...fit, bic: "95.2" }] };
    expect(parseFitsBody(bad)).toEqual({
      error: expect.stringMatching(/malformed at fits\.0\.bic: .*number/),
    });
    expect(parseFitsBody({ error: "Not found" })).toEqual({
      error: expect.stringMatching(/malformed at fits/),
    });
    expect(parseFitsBody(null)).toEqual({ error: expect.stringMatching(/malformed/) });
  });

  // The server's answer is typed by the schema in app/api/studies/[id]/fits/route.ts.
  it("the panel's narrowed type is the schema's (compile-time)", () => {
    expectTypeOf<FitsResponse>().toExtend<z.infer<typeof fitsResponseSchema>>();
  });
});

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
