// The secret that signs researcher session cookies (JWT). Production sets AUTH_SECRET (every app
// instance must share it). The local demo has no setup step, so without AUTH_SECRET we keep a
// random secret in .data/auth-secret (git-ignored): created once, reused on every start, so
// sessions survive restarts. Deleting the file signs everybody out.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { serverEnv } from "./env";

const cached = new Map<string, string>();

export function resolveAuthSecret(
  env: { AUTH_SECRET?: string } = serverEnv(),
  dataDir = path.resolve(process.cwd(), ".data"),
): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  const file = path.join(dataDir, "auth-secret");
  const known = cached.get(file);
  if (known) return known;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    // "wx" fails if the file exists, so two processes starting at once agree on the first writer's secret.
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    console.warn(
      `[auth] AUTH_SECRET is not set: created a local secret in ${file}. Set AUTH_SECRET in production.`,
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const secret = fs.readFileSync(file, "utf8").trim();
  if (secret.length < 32)
    throw new Error(
      `${file} holds a secret shorter than 32 characters; delete it to make a new one`,
    );
  cached.set(file, secret);
  return secret;
}
