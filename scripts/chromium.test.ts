import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

// @ts-expect-error -- plain ESM helper of the test runner, without type declarations
import { findChromium } from "./chromium.mjs";

describe("findChromium", () => {
  it("uses CHROMIUM_PATH when it exists", async () => {
    const fake = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "chromium-")), "chrome");
    fs.writeFileSync(fake, "");
    expect(await findChromium(fake)).toBe(fake);
  });

  it("falls back to a Chromium that exists (or none) when CHROMIUM_PATH points at nothing", async () => {
    const found: string | null = await findChromium("/nonexistent/chromium");
    expect(found).not.toBe("/nonexistent/chromium");
    if (found !== null) expect(fs.existsSync(found)).toBe(true);
  });
});
