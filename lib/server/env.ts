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
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For (0: none; the client's
   * address is the socket's and every X-Forwarded-* header is ignored).
   */
  TRUST_PROXY: z.coerce
    .number({ error: "TRUST_PROXY must be a number of proxy hops (0 = trust no forwarded header)" })
    .int()
    .min(0)
    .max(10)
    .default(0),
  /** The public origin (https://lab.example.org); absolute links and the Origin check use it. */
  APP_URL: z
    .url({
      protocol: /^https?$/,
      error: "APP_URL must be an http(s) URL such as https://lab.example.org",
    })
    .transform((u) => new URL(u).origin)
    .optional()
    .or(z.literal("").transform(() => undefined)),
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
