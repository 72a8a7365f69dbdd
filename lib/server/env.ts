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
