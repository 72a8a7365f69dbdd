// vitest globalSetup of each database project (vitest.config.ts: "db" on PGlite, "db-postgres" on
// the server in its DATABASE_URL): apply the migrations ONCE with the real migrator
// (lib/server/migrate.ts, as `npm run db:migrate` does), then let every test file start from a
// copy — a PGlite data-folder dump, or a PostgreSQL template database — instead of starting the
// schema engine per file. Copies are exact: same tables, same _prisma_migrations rows. The copy's
// name reaches the files through provide/inject (setup-db.ts).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { TestProject } from "vitest/node";

import { applyMigrations } from "../migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** PostgreSQL: the migrated template database each file copies. */
    templateDb: string;
    /** PGlite: the migrated data folder (a dumpDataDir tar) each file loads. */
    pgliteDump: string;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = project.config.env.DATABASE_URL;
  if (serverUrl) {
    const template = `nta_template_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${template}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${template}`;
    await applyMigrations({ kind: "postgres", url: url.toString() });
    await admin.end();
    project.provide("templateDb", template);
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
  project.provide("pgliteDump", file);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
