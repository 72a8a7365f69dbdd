// prisma/schema.prisma and prisma/migrations must describe the same database: Prisma's schema
// engine replays the migrations on a shadow database and diffs the result against the schema
// (lib/server/migrate-engine.ts, `npm run db:diff`). A model or column added to the schema without a
// migration, or a hand-written migration that differs from the schema (a type, a default, an
// index), fails here. The shadow database is the run's own: an in-memory PGlite, or with
// DATABASE_URL a temporary database on that PostgreSQL server (`npm test` runs both).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { readMigrations, projectPaths } from "./migrate";
import { createMigration, diffMigrationsToSchema, type ShadowServer } from "./migrate-engine";

const shadow: ShadowServer = process.env.DATABASE_URL
  ? { kind: "postgres", url: process.env.DATABASE_URL }
  : { kind: "pglite" };

// The engine replays every migration on a fresh shadow database per diff: slow on a loaded machine.
const ENGINE_TIMEOUT = 240_000;

describe(`schema drift (shadow database on ${shadow.kind})`, () => {
  it(
    "the migrations build exactly the schema",
    async () => {
      expect(await diffMigrationsToSchema(shadow)).toBeNull();
    },
    ENGINE_TIMEOUT,
  );
});

describe("db:diff's migration writer", () => {
  it(
    "finds a migration missing from the folder, writes it back, and then finds no drift",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nta-drift-"));
      fs.cpSync(projectPaths.migrations, dir, { recursive: true });
      // take out the migration that added Run.condition (a known one, whatever comes after it)
      const removed = readMigrations(dir).find((m) => m.name.endsWith("_run_conditions"))!;
      fs.rmSync(path.join(dir, removed.name), { recursive: true });

      const created = await createMigration(shadow, "put_back", dir);
      expect(created!.sql).toMatch(/ALTER TABLE "Run" ADD COLUMN\s+"condition" TEXT/);
      expect(created!.sql).toMatch(/CREATE INDEX "Run_studyId_condition_idx"/);
      const added = readMigrations(dir).at(-1)!;
      expect(added.name).toMatch(/^\d{14}_put_back$/);
      expect(added.sql).toBe(created!.sql);
      expect(await diffMigrationsToSchema(shadow, { dir })).toBeNull();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    ENGINE_TIMEOUT,
  );
});
