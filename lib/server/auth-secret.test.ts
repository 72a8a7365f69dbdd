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
