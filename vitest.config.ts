import os from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("./", import.meta.url));
const alias = {
  "@/": root,
  // `server-only` throws outside React Server Components; tests import lib/server directly.
  "server-only": fileURLToPath(
    new URL("./lib/server/testing/server-only-stub.ts", import.meta.url),
  ),
};

/**
 * The database tests (`*.int.test.ts`): "db" on in-memory PGlite, "db-postgres" on the PostgreSQL
 * server in DATABASE_URL. Each file gets a fresh copy of a database migrated once per project
 * (lib/server/testing/global-setup-db.ts); the project's DATABASE_URL tells the files which.
 */
function dbProject(name: string, databaseUrl: string) {
  return {
    resolve: { alias },
    test: {
      name,
      globals: true,
      environment: "node",
      env: { DATABASE_URL: databaseUrl },
      // next-auth imports "next/server" without an extension; let Vite resolve it
      server: { deps: { inline: ["next-auth"] } },
      include: ["**/*.int.test.ts"],
      exclude: ["node_modules/**"],
      globalSetup: ["lib/server/testing/global-setup-db.ts"],
      setupFiles: ["lib/server/testing/setup-db.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
}

const postgresUrl = process.env.DATABASE_URL ?? "";

export default defineConfig({
  resolve: { alias },
  test: {
    globals: true,
    pool: "forks",
    // At least two files at a time, also on a two-core machine (Vitest's default there is one):
    // a PGlite file and a PostgreSQL file each leave the other core mostly idle.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          globals: true,
          environment: "node",
          include: [
            "lib/**/*.test.ts",
            "components/**/*.test.{ts,tsx}",
            "scripts/**/*.test.ts",
            "app/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          testTimeout: 60_000,
        },
      },
      dbProject("db", ""),
      // The same files again on a fresh database per file on DATABASE_URL's server, in the same
      // run (the two share the workers), when a server is given.
      ...(postgresUrl ? [dbProject("db-postgres", postgresUrl)] : []),
    ],
  },
});
