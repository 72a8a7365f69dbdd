import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { resolveAuthSecret } from "./auth-secret";

describe("resolveAuthSecret", () => {
  it("prefers AUTH_SECRET and writes nothing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-"));
    expect(resolveAuthSecret({ AUTH_SECRET: "from-env" }, dir)).toBe("from-env");
    expect(fs.existsSync(path.join(dir, "auth-secret"))).toBe(false);
  });

  it("creates a random secret file once and reuses it", () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "secret-")), "nested");
    const first = resolveAuthSecret({}, dir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(path.join(dir, "auth-secret"), "utf8")).toBe(first);
    expect(resolveAuthSecret({}, dir)).toBe(first);
  });
});

describe("resolveAuthSecret in production", () => {
  const production = { NODE_ENV: "production" };

  it("refuses to start without AUTH_SECRET, even when a demo secret file exists", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-"));
    resolveAuthSecret({}, dir); // the demo's file
    expect(() => resolveAuthSecret(production, dir)).toThrow(/AUTH_SECRET is not set/);
    expect(() => resolveAuthSecret({ ...production, AUTH_SECRET: "short" }, dir)).toThrow(
      /shorter than 32 characters/,
    );
    const secret = "x".repeat(32);
    expect(resolveAuthSecret({ ...production, AUTH_SECRET: secret }, dir)).toBe(secret);
  });

  it("lets `next build` (which runs in production mode) load the modules without one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-"));
    expect(
      resolveAuthSecret({ ...production, NEXT_PHASE: "phase-production-build" }, dir).length,
    ).toBeGreaterThanOrEqual(32);
  });
});
