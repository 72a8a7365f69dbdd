import {
  monitorQuerySchema,
  monitorQueryString,
  pageCount,
  parseMonitorQuery,
  runStatusReason,
} from "./run-monitor";

const parse = (qs: string) => parseMonitorQuery(new URLSearchParams(qs));

describe("monitor query", () => {
  it("defaults to the first 50 runs by participant number", () => {
    expect(parse("")).toEqual({
      ok: true,
      query: { pilot: "all", sort: "index", dir: "asc", page: 1, pageSize: 50 },
    });
  });

  it("round-trips through its query string, leaving defaults out", () => {
    const q = monitorQuerySchema.parse({
      status: "returned",
      pilot: "exclude",
      q: "5f3a",
      sort: "duration",
      dir: "desc",
      page: "3",
      pageSize: "25",
    });
    const qs = monitorQueryString(q);
    expect(qs).toBe(
      "status=returned&pilot=exclude&q=5f3a&sort=duration&dir=desc&page=3&pageSize=25",
    );
    expect(parse(qs)).toEqual({ ok: true, query: q });
    expect(monitorQueryString(monitorQuerySchema.parse({}))).toBe("");
  });

  it("names every bad parameter in one message", () => {
    const r = parse("sort=size&page=0&colour=red");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/^Bad monitor query: /);
      expect(r.message).toMatch(/sort must be one of/);
      expect(r.message).toMatch(/page must be between 1 and/);
      expect(r.message).toMatch(/unknown query parameter 'colour'/);
    }
  });

  it("an empty search is no search", () => {
    expect(parse("q=%20%20")).toMatchObject({ ok: true, query: { q: undefined } });
  });

  it("counts pages", () => {
    expect([pageCount(0, 50), pageCount(50, 50), pageCount(51, 50)]).toEqual([1, 1, 2]);
  });
});

describe("runStatusReason", () => {
  const base = { savedTrials: 0, expectedTrials: 96, practiceTrials: 0, userAgent: null };
  it("tells returned runs apart by how far they got and the device", () => {
    expect(runStatusReason({ ...base, status: "returned" })).toBe(
      "before the task: declined consent or no keyboard",
    );
    expect(
      runStatusReason({
        ...base,
        status: "returned",
        userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36",
      }),
    ).toBe("screened out: phone or tablet");
    expect(runStatusReason({ ...base, status: "returned", practiceTrials: 8 })).toMatch(
      /ended in practice/,
    );
    expect(runStatusReason({ ...base, status: "returned", savedTrials: 12 })).toBe(
      "withdrew during the task, after 12 of 96 trials",
    );
  });
  it("prefers the outcome stored when the run was returned", () => {
    expect(runStatusReason({ ...base, status: "returned", statusReason: "consent-declined" })).toBe(
      "declined consent",
    );
    expect(
      runStatusReason({
        ...base,
        status: "returned",
        practiceTrials: 8,
        statusReason: "practice-failed",
      }),
    ).toBe("failed practice");
    // "withdrawn" says nothing the trials do not: how far the participant got
    expect(
      runStatusReason({ ...base, status: "returned", savedTrials: 12, statusReason: "withdrawn" }),
    ).toBe("withdrew during the task, after 12 of 96 trials");
  });
  it("says how far an abandoned run got; completed and active need no reason", () => {
    expect(runStatusReason({ ...base, status: "abandoned", savedTrials: 40 })).toBe(
      "silent for over 30 minutes after 40 of 96 trials",
    );
    expect(runStatusReason({ ...base, status: "completed", savedTrials: 96 })).toBeNull();
    expect(runStatusReason({ ...base, status: "active", savedTrials: 3 })).toBeNull();
  });
});
