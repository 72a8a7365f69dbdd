// vitest setup for *.int.test.ts: every test file gets its own fresh, migrated database —
// an in-memory PGlite in the "db" project, or, in "db-postgres" (whose DATABASE_URL points at a
// PostgreSQL server), a new database on that server, dropped when the file is done. global-setup-db.ts migrated a template
// once with the real migrator (lib/server/migrate.ts); each file starts from a copy of it.
import { randomBytes } from "node:crypto";
import fs from "node:fs";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, inject } from "vitest";

import { installPrismaForTests } from "../db";
import { PrismaClient } from "../generated/prisma/client";

const serverUrl = process.env.DATABASE_URL;

async function setUp(): Promise<() => Promise<void>> {
  if (serverUrl) {
    const name = `nta_test_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    // Files start in parallel; PostgreSQL refuses a template that is being copied at that moment.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("templateDb")}"`);
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const client = new PrismaClient({
      adapter: new PrismaPg({ connectionString: url.toString(), max: 20 }),
    });
    installPrismaForTests(client);
    process.env.NTA_TEST_DATABASE_URL = url.toString();
    return async () => {
      await client.$disconnect();
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await drop.end();
    };
  }
  const dump = fs.readFileSync(inject("pgliteDump"));
  const pglite = new PGlite({ loadDataDir: new Blob([dump]) });
  await pglite.waitReady;
  const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  installPrismaForTests(client);
  return async () => {
    await client.$disconnect();
    await pglite.close();
  };
}

const tearDown = await setUp();
afterAll(tearDown);
