import { outcomeReward, OUTCOME_LABELS, RETURN_REASONS, returnRequestSchema } from "./outcomes";
import { studyConfigSchema } from "./study-config";

const recruitment = (r: object) => studyConfigSchema.parse({ recruitment: r }).recruitment;

describe("outcome codes", () => {
  it("gives each outcome its own code and redirect", () => {
    const r = recruitment({
      completionCode: "DONE-1",
      redirectUrl: "https://example.org/done",
      outcomes: {
        consentDeclined: { code: "NOCONSENT", redirectUrl: "https://example.org/noconsent" },
        screenedOut: { code: "SCREEN" },
        practiceFailed: { code: "PRACTICE", redirectUrl: "https://example.org/practice" },
      },
    });
    expect(outcomeReward(r, "completed")).toEqual({
      completionCode: "DONE-1",
      redirectUrl: "https://example.org/done",
    });
    expect(outcomeReward(r, "consent-declined")).toEqual({
      completionCode: "NOCONSENT",
      redirectUrl: "https://example.org/noconsent",
    });
    expect(outcomeReward(r, "screened-out")).toEqual({ completionCode: "SCREEN", redirectUrl: "" });
    expect(outcomeReward(r, "practice-failed")).toEqual({
      completionCode: "PRACTICE",
      redirectUrl: "https://example.org/practice",
    });
    expect(outcomeReward(r, "withdrawn")).toEqual({ completionCode: "", redirectUrl: "" });
  });

  it("falls back from a failed practice to the screen-out, and never to the completion code", () => {
    const r = recruitment({
      completionCode: "DONE-1",
      redirectUrl: "https://example.org/done",
      outcomes: { screenedOut: { code: "SCREEN", redirectUrl: "https://example.org/s" } },
    });
    expect(outcomeReward(r, "practice-failed")).toEqual({
      completionCode: "SCREEN",
      redirectUrl: "https://example.org/s",
    });
    for (const o of ["consent-declined", "screened-out", "practice-failed", "withdrawn"] as const) {
      expect(outcomeReward(recruitment({ completionCode: "DONE-1" }), o).completionCode).toBe("");
    }
  });

  it("keeps old configs (no outcomes section) valid with empty early-outcome codes", () => {
    const r = recruitment({ completionCode: "OLD" });
    expect(r.outcomes.consentDeclined).toEqual({ code: "", redirectUrl: "" });
  });

  it("refuses bad codes and redirects in words about the field", () => {
    const bad = studyConfigSchema.safeParse({
      recruitment: { outcomes: { consentDeclined: { code: "no spaces", redirectUrl: "ftp://x" } } },
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual([
      "recruitment.outcomes.consentDeclined.code: Letters, digits, - and _ only",
      expect.stringMatching(/^recruitment\.outcomes\.consentDeclined\.redirectUrl: Redirect must/),
    ]);
  });

  it("labels every reason and parses the return request", () => {
    for (const r of RETURN_REASONS) expect(OUTCOME_LABELS[r]).toBeTruthy();
    expect(returnRequestSchema.parse({})).toEqual({});
    expect(returnRequestSchema.safeParse({ reason: "bribed" }).success).toBe(false);
  });
});
