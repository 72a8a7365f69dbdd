// The server's environment, read and validated in one place.
import path from "node:path";

import { z } from "zod";

const envSchema = z.object({
  /** Unset → embedded PGlite in PGLITE_DIR; `postgresql://…` → a PostgreSQL server. */
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      "DATABASE_URL must be a postgresql:// URL (leave it unset for embedded PGlite)",
    )
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Data folder of the embedded database. */
  PGLITE_DIR: z.string().default(".data/pglite"),
  NODE_ENV: z.string().default("development"),
});

export type ServerEnv = z.infer<typeof envSchema> & { pgliteDir: string };

export function readServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
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

const jobEnvSchema = z.object({
  /** Worker threads of the compute pool (fits, model streams); default: half the cores, at least 1. */
  NTA_COMPUTE_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /** Finished (done or failed) jobs older than this many days are deleted; 0 keeps them. */
  NTA_JOB_RETENTION_DAYS: z.coerce.number().min(0).default(30),
});

export type JobEnv = { computeThreads?: number; retentionDays: number };

/** Settings of the job worker and its compute pool (lib/server/job-runner.ts, job-pool.ts). */
export function readJobEnv(source: NodeJS.ProcessEnv = process.env): JobEnv {
  const parsed = jobEnvSchema.safeParse({
    NTA_COMPUTE_THREADS: source.NTA_COMPUTE_THREADS || undefined,
    NTA_JOB_RETENTION_DAYS: source.NTA_JOB_RETENTION_DAYS || undefined,
  });
  if (!parsed.success)
    throw new Error(
      `Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return {
    computeThreads: parsed.data.NTA_COMPUTE_THREADS,
    retentionDays: parsed.data.NTA_JOB_RETENTION_DAYS,
  };
}
