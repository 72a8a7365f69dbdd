// npm run db:migrate            apply pending migrations (PGlite by default, DATABASE_URL for PostgreSQL)
// npm run db:diff               print the SQL that prisma/migrations lacks to match prisma/schema.prisma;
//                               exit 1 if there is any (the only command that loads Prisma's wasm schema engine)
// npm run db:diff -- <name>     write it as prisma/migrations/<ts>_<name>/migration.sql
//   Both replay the migrations on a shadow database: an in-memory PGlite, or with DATABASE_URL a
//   temporary database on that server (dropped after). The development database is not touched.
// npm run db:status             list applied / pending / failed / edited migrations; exit 1 unless clean
import fs from "node:fs";

import { PGlite } from "@electric-sql/pglite";

import { readServerEnv } from "../lib/server/env";
import {
  applyMigrations,
  migrationStatus,
  readMigrations,
  type MigrationTarget,
} from "../lib/server/migrate";

async function openTarget(): Promise<{
  target: MigrationTarget;
  label: string;
  close: () => Promise<void>;
}> {
  const env = readServerEnv();
  if (env.DATABASE_URL) {
    const u = new URL(env.DATABASE_URL);
    return {
      target: { kind: "postgres", url: env.DATABASE_URL },
      label: `PostgreSQL ${u.host}${u.pathname}`,
      close: async () => {},
    };
  }
  fs.mkdirSync(env.pgliteDir, { recursive: true });
  const client = new PGlite(env.pgliteDir);
  await client.waitReady;
  return {
    target: { kind: "pglite", client },
    label: `PGlite ${env.pgliteDir}`,
    close: () => client.close(),
  };
}

/** db:diff needs no database of its own: only a shadow server for the engine. */
async function diff(name: string | undefined): Promise<number> {
  if (name !== undefined && !/^[a-z0-9_]+$/.test(name))
    throw new Error("usage: npm run db:diff [-- <name>] (name: lower case, digits, _)");
  const { createMigration, diffMigrationsToSchema } = await import("../lib/server/migrate-engine");
  const env = readServerEnv();
  const shadow = env.DATABASE_URL
    ? ({ kind: "postgres", url: env.DATABASE_URL } as const)
    : ({ kind: "pglite" } as const);
  if (name === undefined) {
    const sql = await diffMigrationsToSchema(shadow);
    if (sql === null) {
      console.log("db:diff: schema and migrations agree");
      return 0;
    }
    console.log(
      `db:diff: prisma/migrations lacks (write it with npm run db:diff -- <name>):\n${sql}`,
    );
    return 1;
  }
  const created = await createMigration(shadow, name);
  console.log(
    created
      ? `db:diff: wrote ${created.dir}/migration.sql\n${created.sql}`
      : "db:diff: schema and migrations agree; nothing written",
  );
  return 0;
}

async function main() {
  const [command = "migrate", name] = process.argv.slice(2);
  if (command === "diff") {
    const started = performance.now();
    let code = 1;
    try {
      code = await diff(name);
    } catch (err) {
      console.error(`db:diff failed:\n${err instanceof Error ? err.message : String(err)}`);
    }
    console.error(`(${((performance.now() - started) / 1000).toFixed(2)} s)`);
    process.exit(code);
  }
  const { target, label, close } = await openTarget();
  const started = performance.now();
  let code = 0;
  try {
    if (command === "migrate") {
      const applied = await applyMigrations(target);
      console.log(
        applied.length
          ? `db:migrate ${label}: applied ${applied.join(", ")}`
          : `db:migrate ${label}: up to date (${readMigrations().length} migrations)`,
      );
    } else if (command === "status") {
      const s = await migrationStatus(target);
      console.log(JSON.stringify(s, null, 2));
      if (s.pending.length || s.failedMigrationNames.length || s.editedMigrationNames.length)
        code = 1;
    } else {
      throw new Error(`unknown command "${command}" (migrate | diff <name> | status)`);
    }
  } catch (err) {
    console.error(
      `db:${command} ${label} failed:\n${err instanceof Error ? err.message : String(err)}`,
    );
    code = 1;
  } finally {
    await close();
  }
  console.error(`(${((performance.now() - started) / 1000).toFixed(2)} s)`);
  process.exit(code); // pg pools would keep Node alive for 10 s
}

void main();
