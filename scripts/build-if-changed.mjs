// `npm run demo` step: run `npm run build` only when the sources changed since the last build made
// here. The fingerprint is a SHA-256 over every build input (paths and contents; tests and docs
// excluded), stored next to the build in .next/nta-source-hash; a missing build output rebuilds.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const INPUT_DIRS = ["app", "components", "lib", "public", "prisma"];
const INPUT_FILES = [
  "package.json",
  "package-lock.json",
  "next.config.js",
  "tsconfig.json",
  "auth.ts",
  "auth.config.ts",
  "proxy.ts",
  "instrumentation.ts",
  "scripts/copy-tfjs-wasm.mjs",
];
const SKIP = /(^|\/)(node_modules|generated|tfjs-wasm)(\/|$)|\.(int\.)?test\.tsx?$|\.md$/;
const STAMP = ".next/nta-source-hash";

function* walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.posix.join(dir, e.name);
    if (SKIP.test(p)) continue;
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

function sourceHash(root = process.cwd()) {
  const files = [...INPUT_DIRS.flatMap((d) => [...walk(d)]), ...INPUT_FILES]
    .filter((f) => fs.existsSync(path.join(root, f)))
    .sort();
  const h = createHash("sha256");
  for (const f of files)
    h.update(f)
      .update("\0")
      .update(fs.readFileSync(path.join(root, f)));
  return h.digest("hex");
}

const buildOutputsPresent = () => fs.existsSync(".next/BUILD_ID");

const hash = sourceHash();
const previous = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, "utf8").trim() : null;
if (previous === hash && buildOutputsPresent()) {
  console.log("build: sources unchanged since the last build, skipping `npm run build`");
} else {
  const r = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(STAMP, hash + "\n");
}
