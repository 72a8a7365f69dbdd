// vitest setup for *.int.test.ts: every test file gets its own fresh, migrated database —
// an in-memory PGlite by default, or (when DATABASE_URL points at a PostgreSQL server) a new
// database on that server, dropped when the file is done. Migrations go through the same
// wasm schema engine as `npm run db:migrate`.
import { randomBytes } from "node:crypto";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll } from "vitest";

import { installPrismaForTests } from "../db";
import { PrismaClient } from "../generated/prisma/client";
import { applyMigrations } from "../migrate";

const serverUrl = process.env.DATABASE_URL;

async function setUp(): Promise<() => Promise<void>> {
  if (serverUrl) {
    const name = `nta_test_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    await applyMigrations({ kind: "postgres", url: url.toString() });
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url.toString(), max: 20 }) });
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
  const pglite = new PGlite();
  await pglite.waitReady;
  await applyMigrations({ kind: "pglite", client: pglite });
  const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  installPrismaForTests(client);
  return async () => {
    await client.$disconnect();
    await pglite.close();
  };
}

const tearDown = await setUp();
afterAll(tearDown);
