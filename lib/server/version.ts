// Code version stored with every run, model stream and fit (provenance).
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { serverEnv } from "./env";

let cached: string | undefined;

export function codeVersion(): string {
  if (cached) return cached;
  const pkg = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), "package.json"), "utf8")) as {
    version: string;
  };
  let commit = serverEnv().NTA_COMMIT ?? "";
  if (!commit) {
    try {
      commit = execSync("git rev-parse --short HEAD", { stdio: ["ignore", "pipe", "ignore"] })
        .toString()
        .trim();
    } catch {
      commit = "nogit";
    }
  }
  cached = `${pkg.version}+${commit}`;
  return cached;
}
