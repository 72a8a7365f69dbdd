// The databases a database benchmark runs on (bench:dashboard, bench:monitor): an in-memory PGlite,
// then — when DATABASE_URL is set — a fresh database on that PostgreSQL server, created for the run
// and dropped after it. Both get the app's migrations; `run` gets a Prisma client on each and
// returns the figure the benchmark judges (e.g. its worst time in ms).
import { randomBytes } from "node:crypto";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { PrismaClient } from "../lib/server/generated/prisma/client";
import { applyMigrations } from "../lib/server/migrate";

export type BenchDatabase = "pglite" | "postgres";

export async function onBenchDatabases(
  only: string | undefined,
  run: (label: string, kind: BenchDatabase, client: PrismaClient) => Promise<number>,
): Promise<Partial<Record<BenchDatabase, number>>> {
  const results: Partial<Record<BenchDatabase, number>> = {};
  if (only !== "postgres") {
    const pglite = new PGlite();
    await pglite.waitReady;
    await applyMigrations({ kind: "pglite", client: pglite });
    const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    results.pglite = await run("PGlite (in-memory, WASM)", "pglite", client);
    await client.$disconnect();
    await pglite.close();
  }
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl && only !== "pglite") {
    const name = `nta_bench_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      await applyMigrations({ kind: "postgres", url: url.toString() });
      const client = new PrismaClient({
        adapter: new PrismaPg({ connectionString: url.toString(), max: 10 }),
      });
      results.postgres = await run("PostgreSQL server", "postgres", client);
      await client.$disconnect();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  } else if (!serverUrl) {
    console.log("\n(DATABASE_URL not set: PostgreSQL server skipped)");
  }
  return results;
}
