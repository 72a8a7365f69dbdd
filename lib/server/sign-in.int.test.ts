// The sign-in check against a real database: wrong passwords are refused, the 11th attempt in the
// window is refused even with the right password, a success resets the counter, and the limit
// is per email + client address.
import { checkResearcherCredentials, SIGN_IN_LIMIT } from "@/lib/server/sign-in";
import { upsertResearcher } from "@/lib/server/users";

const from = (ip: string) => new Headers({ "x-forwarded-for": ip });

beforeAll(async () => {
  await upsertResearcher({ email: "r@lab.test", password: "right-password" });
});

describe("checkResearcherCredentials", () => {
  it("accepts the right password (email case-insensitive) and refuses a wrong one or junk", async () => {
    const ok = await checkResearcherCredentials(
      { email: " R@Lab.Test ", password: "right-password" },
      from("10.0.0.1"),
    );
    expect(ok).toMatchObject({ kind: "ok", user: { email: "r@lab.test" } });
    expect(
      await checkResearcherCredentials(
        { email: "r@lab.test", password: "wrong" },
        from("10.0.0.1"),
      ),
    ).toEqual({ kind: "invalid" });
    expect(
      await checkResearcherCredentials(
        { email: "nobody@lab.test", password: "x" },
        from("10.0.0.1"),
      ),
    ).toEqual({ kind: "invalid" });
    expect(await checkResearcherCredentials({ email: ["r@lab.test"] }, from("10.0.0.1"))).toEqual({
      kind: "invalid",
    });
  });

  it("refuses even the right password after the limit of failures, but only for that email + address", async () => {
    for (let i = 0; i < SIGN_IN_LIMIT.attempts; i++) {
      expect(
        (
          await checkResearcherCredentials(
            { email: "r@lab.test", password: `guess-${i}` },
            from("10.0.0.2"),
          )
        ).kind,
      ).toBe("invalid");
    }
    expect(
      (
        await checkResearcherCredentials(
          { email: "r@lab.test", password: "right-password" },
          from("10.0.0.2"),
        )
      ).kind,
    ).toBe("rate-limited");
    expect(
      (
        await checkResearcherCredentials(
          { email: "r@lab.test", password: "right-password" },
          from("10.0.0.3"),
        )
      ).kind,
    ).toBe("ok");
  });

  it("lets at most the limit through a parallel burst of guesses", async () => {
    const results = await Promise.all(
      Array.from({ length: SIGN_IN_LIMIT.attempts + 8 }, (_, i) =>
        checkResearcherCredentials(
          { email: "r@lab.test", password: `burst-${i}` },
          from("10.0.0.4"),
        ),
      ),
    );
    expect(results.filter((r) => r.kind === "invalid")).toHaveLength(SIGN_IN_LIMIT.attempts);
    expect(results.filter((r) => r.kind === "rate-limited")).toHaveLength(8);
  });

  it("forgets earlier failures after a successful sign-in", async () => {
    for (let i = 0; i < SIGN_IN_LIMIT.attempts - 1; i++)
      await checkResearcherCredentials({ email: "r@lab.test", password: "typo" }, from("10.0.0.5"));
    expect(
      (
        await checkResearcherCredentials(
          { email: "r@lab.test", password: "right-password" },
          from("10.0.0.5"),
        )
      ).kind,
    ).toBe("ok");
    for (let i = 0; i < SIGN_IN_LIMIT.attempts - 1; i++) {
      expect(
        (
          await checkResearcherCredentials(
            { email: "r@lab.test", password: "typo" },
            from("10.0.0.5"),
          )
        ).kind,
      ).toBe("invalid");
    }
  });
});
