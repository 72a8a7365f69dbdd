// The server's environment, read and validated in one place: every variable the app reads is one
// entry of `envSchema` (with its default and meaning) and one row of the README's environment table.
// Add a variable by appending an entry here; read it with `serverEnv().NAME`.
import path from "node:path";

import { z } from "zod";

/** "" counts as unset, so `FOO=` in a shell or an env file means "use the default". */
const unsetIfEmpty = (v: unknown) => (v === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, value: z.input<T>) =>
  z.preprocess(unsetIfEmpty, schema.default(value as never));

const envSchema = z.object({
  /** Unset → embedded PGlite in PGLITE_DIR; `postgresql://…` → a PostgreSQL server. */
  DATABASE_URL: optional(
    z
      .string()
      .regex(
        /^postgres(ql)?:\/\//,
        "DATABASE_URL must be a postgresql:// URL (leave it unset for embedded PGlite)",
      ),
  ),
  /** Data folder of the embedded database. */
  PGLITE_DIR: withDefault(z.string(), ".data/pglite"),
  NODE_ENV: withDefault(z.string(), "development"),
  /** Set by Next.js itself, not by an operator (`phase-production-build` while `next build` runs). */
  NEXT_PHASE: optional(z.string()),
  /** Signs researcher sessions; unset → a random secret kept in .data/auth-secret (lib/server/auth-secret.ts). */
  AUTH_SECRET: optional(z.string().min(32, "AUTH_SECRET must be at least 32 characters")),
  /** "0" keeps this process from running background jobs (a separate `npm run jobs:work` does). */
  NTA_JOB_WORKER: withDefault(z.enum(["0", "1"], "NTA_JOB_WORKER must be 0 or 1"), "1"),
  /** New runs per client address per study and rate-limit window (lib/server/runs.ts). */
  NTA_RUN_CREATE_LIMIT: withDefault(z.coerce.number().int().positive(), 300),
  /** Migrations folder, relative to the working directory. */
  NTA_MIGRATIONS_DIR: withDefault(z.string(), "prisma/migrations"),
  /** Code version stored with runs, model streams and fits; unset → `git rev-parse --short HEAD`. */
  NTA_COMMIT: optional(z.string()),
  /** Worker threads of the compute pool (fits, model streams); unset → half the cores, at least 1. */
  NTA_COMPUTE_THREADS: optional(z.coerce.number().int().min(1).max(64)),
  /** Finished (done or failed) jobs older than this many days are deleted; 0 keeps them. */
  NTA_JOB_RETENTION_DAYS: withDefault(z.coerce.number().min(0), 30),
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For (0: none; the client's
   * address is the socket's and every X-Forwarded-* header is ignored; lib/server/http-guard.ts).
   */
  TRUST_PROXY: withDefault(
    z.coerce
      .number({
        error: "TRUST_PROXY must be a number of proxy hops (0 = trust no forwarded header)",
      })
      .int()
      .min(0)
      .max(10),
    0,
  ),
  /** The public origin (https://lab.example.org): Origin check, HSTS and Secure cookies. */
  APP_URL: optional(
    z
      .url({
        protocol: /^https?$/,
        error: "APP_URL must be an http(s) URL such as https://lab.example.org",
      })
      .transform((u) => new URL(u).origin),
  ),
  /** Of NTA_RUN_CREATE_LIMIT, new runs without an external id or run cookie (lib/server/runs.ts). */
  NTA_ANON_RUN_LIMIT: withDefault(z.coerce.number().int().positive(), 30),
});

export type ServerEnv = z.infer<typeof envSchema> & { pgliteDir: string };

export function readServerEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(
      `Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return {
    ...parsed.data,
    pgliteDir: path.resolve(/* turbopackIgnore: true */ process.cwd(), parsed.data.PGLITE_DIR),
  };
}

/** The process environment, validated on each call (cheap; tests and scripts may change it). */
export const serverEnv = (): ServerEnv => readServerEnv(process.env);

export type JobEnv = { computeThreads?: number; retentionDays: number };

/** Settings of the job worker and its compute pool (lib/server/job-runner.ts, job-pool.ts). */
export function readJobEnv(source: Record<string, string | undefined> = process.env): JobEnv {
  const env = readServerEnv(source);
  return { computeThreads: env.NTA_COMPUTE_THREADS, retentionDays: env.NTA_JOB_RETENTION_DAYS };
}
