// npm run demo's build step: builds when there is no build or a source changed, skips otherwise.
// Runs the real script in a scratch project whose `npm` is a stub that records each build.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

const script = path.resolve(__dirname, "build-if-changed.mjs");

describe("build-if-changed", () => {
  it("builds once, skips while nothing changed, rebuilds after a source edit or a lost build", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nta-demo-build-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.mkdirSync(path.join(dir, "app"));
    fs.writeFileSync(path.join(dir, "app", "page.tsx"), "export default 1;\n");
    fs.writeFileSync(path.join(dir, "package.json"), "{}\n");
    // stub npm: "npm run build" makes the build output and counts builds
    fs.writeFileSync(
      path.join(bin, "npm"),
      "#!/bin/sh\nmkdir -p .next && echo id > .next/BUILD_ID && echo x >> builds.log\n",
      { mode: 0o755 },
    );
    const run = () =>
      execFileSync("node", [script], {
        cwd: dir,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        encoding: "utf8",
      });
    const builds = () =>
      fs.readFileSync(path.join(dir, "builds.log"), "utf8").split("\n").length - 1;

    run();
    expect(builds()).toBe(1);
    expect(run()).toMatch(/unchanged.*skipping/);
    fs.writeFileSync(path.join(dir, "app", "page.test.ts"), "test edits do not count\n");
    run();
    expect(builds()).toBe(1);
    fs.writeFileSync(path.join(dir, "app", "page.tsx"), "export default 2;\n");
    run();
    expect(builds()).toBe(2);
    fs.rmSync(path.join(dir, ".next", "BUILD_ID"));
    run();
    expect(builds()).toBe(3);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
