// The secret that signs researcher session cookies (JWT). Production (NODE_ENV=production) must
// set AUTH_SECRET, at least 32 characters, the same on every app instance: without it the server
// refuses to start (instrumentation.ts checks at start-up) rather than sign cookies with a secret
// found on disk. In development, and for the demo (`npm run demo` passes it in explicitly, see
// scripts/demo-secret.ts), we keep a random secret in .data/auth-secret (git-ignored): created
// once, reused on every start, so sessions survive restarts. Deleting the file signs everybody out.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { serverEnv } from "./env";

const cached = new Map<string, string>();

export function resolveAuthSecret(
  // NEXT_PHASE is set by Next.js itself (`next build` loads the modules in production mode)
  env: { AUTH_SECRET?: string; NODE_ENV?: string; NEXT_PHASE?: string } = serverEnv(),
  dataDir = path.resolve(process.cwd(), ".data"),
): string {
  if (env.NODE_ENV === "production" && env.NEXT_PHASE !== "phase-production-build") {
    if (!env.AUTH_SECRET || env.AUTH_SECRET.length < 32)
      throw new Error(
        `AUTH_SECRET ${env.AUTH_SECRET ? "is shorter than 32 characters" : "is not set"}: production needs ` +
          "a secret of at least 32 characters, the same on every app instance " +
          "(e.g. `export AUTH_SECRET=$(openssl rand -base64 32)`).",
      );
    return env.AUTH_SECRET;
  }
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
