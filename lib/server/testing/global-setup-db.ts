// vitest globalSetup for the database tests: apply the migrations ONCE with the real migrator
// (lib/server/migrate.ts, as `npm run db:migrate` does), then let every test file start from a
// copy — a PGlite data-folder dump, or a PostgreSQL template database — instead of starting the
// schema engine per file. Copies are exact: same tables, same _prisma_migrations rows.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

import { applyMigrations } from "../migrate";

export default async function setup() {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const template = `nta_template_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${template}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${template}`;
    await applyMigrations({ kind: "postgres", url: url.toString() });
    await admin.end();
    process.env.NTA_TEST_TEMPLATE_DB = template;
    return async () => {
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
      await drop.end();
    };
  }
  const db = new PGlite();
  await applyMigrations({ kind: "pglite", client: db });
  const dump = await db.dumpDataDir("none");
  await db.close();
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), "nta-pglite-template-")),
    "migrated.tar",
  );
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.NTA_TEST_PGLITE_DUMP = file;
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
