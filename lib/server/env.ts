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
