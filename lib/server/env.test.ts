import { describe, expect, it } from "vitest";

import { readServerEnv } from "./env";

describe("readServerEnv", () => {
  it("gives every variable its default when nothing is set, and treats empty values as unset", () => {
    for (const source of [{}, { DATABASE_URL: "", NTA_RUN_CREATE_LIMIT: "", AUTH_SECRET: "" }]) {
      const env = readServerEnv(source);
      expect(env.DATABASE_URL).toBeUndefined();
      expect(env.AUTH_SECRET).toBeUndefined();
      expect(env.NTA_RUN_CREATE_LIMIT).toBe(300);
      expect(env.NTA_JOB_WORKER).toBe("1");
      expect(env.NTA_MIGRATIONS_DIR).toBe("prisma/migrations");
      expect(env.pgliteDir).toMatch(/\.data\/pglite$/);
    }
  });

  it("parses the values it is given", () => {
    const env = readServerEnv({
      DATABASE_URL: "postgresql://u@h/db",
      NTA_RUN_CREATE_LIMIT: "12",
      NTA_JOB_WORKER: "0",
      AUTH_SECRET: "x".repeat(32),
    });
    expect(env).toMatchObject({ NTA_RUN_CREATE_LIMIT: 12, NTA_JOB_WORKER: "0" });
  });

  it.each([
    [{ DATABASE_URL: "mysql://h/db" }, /DATABASE_URL: DATABASE_URL must be a postgresql/],
    [{ NTA_RUN_CREATE_LIMIT: "many" }, /NTA_RUN_CREATE_LIMIT/],
    [{ NTA_RUN_CREATE_LIMIT: "-1" }, /NTA_RUN_CREATE_LIMIT/],
    [{ NTA_JOB_WORKER: "no" }, /NTA_JOB_WORKER must be 0 or 1/],
    [{ AUTH_SECRET: "short" }, /AUTH_SECRET must be at least 32 characters/],
  ])("rejects %j with a message naming the variable", (source, message) => {
    expect(() => readServerEnv(source)).toThrow(message);
  });
});

describe("environment access", () => {
  it("happens only in lib/server/env.ts (tooling and test harness aside)", async () => {
    const { execFileSync } = await import("node:child_process");
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
      encoding: "utf8",
    })
      .split("\n")
      .filter((f) => /^(app|components|lib)\/.*\.tsx?$|^(auth|auth\.config|proxy)\.ts$/.test(f))
      .filter((f) => !/\.test\.tsx?$|^lib\/server\/(env\.ts|testing\/)/.test(f));
    const fs = await import("node:fs");
    const offenders = files.filter(
      (f) => fs.existsSync(f) && /process\.env\b/.test(fs.readFileSync(f, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
