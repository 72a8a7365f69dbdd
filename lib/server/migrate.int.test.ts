// The SQL migration runner: applies the project's migrations, is idempotent, fails loudly (non-zero,
// with the database's error) on a broken migration, writes `_prisma_migrations` rows identical to
// Prisma's own engine (the wasm engine is the reference here), agrees with Prisma's status, and
// lets only one of two simultaneous starts apply. The PGlite cases run in the "db" project, the
// server's in "db-postgres" (vitest.config.ts), so a run with both projects does each once.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";

import pg from "pg";

import { applyMigrations, migrationStatus, projectPaths, readMigrations } from "./migrate";
import { engineApplyMigrations, engineMigrationHistory } from "./migrate-engine";

const onServer = Boolean(process.env.DATABASE_URL);

function copyMigrations(extra?: { name: string; sql: string }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nta-migrations-"));
  fs.cpSync(projectPaths.migrations, dir, { recursive: true });
  if (extra) {
    fs.mkdirSync(path.join(dir, extra.name));
    fs.writeFileSync(path.join(dir, extra.name, "migration.sql"), extra.sql);
  }
  return dir;
}

describe.skipIf(onServer)("applyMigrations on PGlite", () => {
  it("applies every migration once and then reports nothing to do", async () => {
    const db = new PGlite();
    const first = await applyMigrations({ kind: "pglite", client: db });
    expect(first).toEqual(readMigrations().map((m) => m.name));
    expect(await applyMigrations({ kind: "pglite", client: db })).toEqual([]);
    const rows = await db.query<{ migration_name: string; finished_at: Date | null }>(
      `SELECT migration_name, finished_at FROM "_prisma_migrations"`,
    );
    expect(rows.rows.map((r) => r.migration_name)).toEqual(first);
    expect(rows.rows.every((r) => r.finished_at !== null)).toBe(true);
    await db.close();
  });

  it("throws with the database's message on a broken migration", async () => {
    const db = new PGlite();
    const dir = copyMigrations({
      name: "29990101000000_broken",
      sql: 'ALTER TABLE "NoSuchTable" ADD COLUMN "x" INTEGER;',
    });
    await expect(applyMigrations({ kind: "pglite", client: db }, dir)).rejects.toThrow(
      /NoSuchTable|does not exist/,
    );
    await db.close();
  });
});

const ROWS = `SELECT migration_name, checksum, logs, applied_steps_count,
                     finished_at IS NOT NULL AS finished, rolled_back_at
              FROM "_prisma_migrations" ORDER BY migration_name`;
type History = Awaited<ReturnType<typeof engineMigrationHistory>>;
const prismaPending = (h: History) =>
  (h.history as { diagnostic?: string; unappliedMigrationNames?: string[] } | null)?.diagnostic ===
  "databaseIsBehind"
    ? (h.history as { unappliedMigrationNames: string[] }).unappliedMigrationNames
    : [];

describe.skipIf(onServer)("agreement with Prisma's own engine (PGlite)", () => {
  it("writes the same _prisma_migrations rows (checksum, steps, logs) as prisma migrate deploy", async () => {
    const [ours, theirs] = [new PGlite(), new PGlite()];
    await applyMigrations({ kind: "pglite", client: ours });
    await engineApplyMigrations({ kind: "pglite", client: theirs });
    const rows = (await ours.query(ROWS)).rows;
    expect(rows.length).toBe(readMigrations().length);
    expect(rows).toEqual((await theirs.query(ROWS)).rows);
    await Promise.all([ours.close(), theirs.close()]);
  });

  it("status agrees: up to date, pending, edited and failed migrations", async () => {
    const db = new PGlite();
    const target = { kind: "pglite" as const, client: db };
    const dir = copyMigrations();
    const both = async (d: string) => {
      const [ours, theirs] = [
        await migrationStatus(target, d),
        await engineMigrationHistory(target, d),
      ];
      expect(ours.hasMigrationsTable).toBe(theirs.hasMigrationsTable);
      expect(ours.pending).toEqual(prismaPending(theirs));
      expect(ours.failedMigrationNames).toEqual(theirs.failedMigrationNames);
      expect(ours.editedMigrationNames).toEqual(theirs.editedMigrationNames);
      return ours;
    };
    const names = readMigrations(dir).map((m) => m.name);
    expect((await both(dir)).pending).toEqual(names); // empty database
    await applyMigrations(target, dir);
    expect(await both(dir)).toMatchObject({ applied: names, pending: [] });

    fs.mkdirSync(path.join(dir, "29990101000000_more"));
    fs.writeFileSync(
      path.join(dir, "29990101000000_more", "migration.sql"),
      "CREATE TABLE more_things (id int);",
    );
    expect((await both(dir)).pending).toEqual(["29990101000000_more"]);
    expect(await applyMigrations(target, dir)).toEqual(["29990101000000_more"]);

    fs.appendFileSync(path.join(dir, "29990101000000_more", "migration.sql"), "\n-- edited\n");
    expect((await both(dir)).editedMigrationNames).toEqual(["29990101000000_more"]);

    fs.mkdirSync(path.join(dir, "29990102000000_broken"));
    fs.writeFileSync(
      path.join(dir, "29990102000000_broken", "migration.sql"),
      "CREATE TABLE oops (;",
    );
    await expect(applyMigrations(target, dir)).rejects.toThrow(
      /29990102000000_broken failed: .*syntax/,
    );
    expect((await both(dir)).failedMigrationNames).toEqual(["29990102000000_broken"]);
    const [failed] = (
      await db.query<{ logs: string }>(
        `SELECT logs FROM "_prisma_migrations" WHERE finished_at IS NULL`,
      )
    ).rows;
    expect(failed.logs).toMatch(/syntax error/);
    // A failed migration blocks further runs until it is resolved, as in Prisma.
    await expect(applyMigrations(target, dir)).rejects.toThrow(
      /failed earlier and was not resolved/,
    );
    await db.close();
  });

  it("two callers starting at once on one PGlite: one applies, the other finds nothing to do", async () => {
    const db = new PGlite();
    const target = { kind: "pglite" as const, client: db };
    const results = await Promise.all([applyMigrations(target), applyMigrations(target)]);
    expect(results.map((r) => r.length).sort()).toEqual([0, readMigrations().length]);
    expect((await db.query(ROWS)).rows.length).toBe(readMigrations().length);
    await db.close();
  });
});

describe.runIf(onServer)("on the PostgreSQL server", () => {
  it("two instances starting at once: one applies, the other waits on the advisory lock and finds nothing to do", async () => {
    const admin = new URL(process.env.DATABASE_URL!);
    const name = `nta_migrate_race_${process.pid}`;
    const adminClient = new pg.Client({ connectionString: admin.toString() });
    await adminClient.connect();
    await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminClient.query(`CREATE DATABASE ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const target = { kind: "postgres" as const, url: url.toString() };
    try {
      const results = await Promise.all([applyMigrations(target), applyMigrations(target)]);
      expect(results.map((r) => r.length).sort()).toEqual([0, readMigrations().length]);
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      const rows = (await db.query(ROWS)).rows;
      await db.end();
      expect(rows.length).toBe(readMigrations().length);
      expect(await migrationStatus(target)).toMatchObject({
        pending: [],
        failedMigrationNames: [],
      });
      const theirs = await engineMigrationHistory(target);
      expect(theirs).toMatchObject({
        failedMigrationNames: [],
        editedMigrationNames: [],
        history: null,
      });
    } finally {
      await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await adminClient.end();
    }
  });
});

describe("npm run db:migrate", () => {
  const url = process.env.DATABASE_URL;
  it.skipIf(onServer)(
    "is idempotent on a PGlite data folder and exits non-zero on a broken migration",
    () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nta-pglite-"));
      const env = { ...process.env, DATABASE_URL: "", PGLITE_DIR: dataDir };
      const run = () =>
        execFileSync("npx", ["tsx", "--conditions=react-server", "scripts/db.ts", "migrate"], {
          env,
          encoding: "utf8",
        });
      expect(run()).toMatch(/applied \d+_init/);
      expect(run()).toMatch(/up to date/);
      const broken = copyMigrations({ name: "29990101000000_broken", sql: "CREATE TABLE oops (;" });
      const r = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/db.ts", "migrate"], {
        env: { ...env, NTA_MIGRATIONS_DIR: broken },
        encoding: "utf8",
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/db:migrate .* failed/);
      expect(r.stderr).toMatch(/syntax error/);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  );

  it.runIf(onServer)("is idempotent on the PostgreSQL server", () => {
    const admin = new URL(url!);
    const name = `nta_cli_${process.pid}`;
    execFileSync("psql", [
      admin.toString(),
      "-qc",
      `DROP DATABASE IF EXISTS ${name}`,
      "-c",
      `CREATE DATABASE ${name}`,
    ]);
    const target = new URL(url!);
    target.pathname = `/${name}`;
    const env = { ...process.env, DATABASE_URL: target.toString() };
    const run = () =>
      spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/db.ts", "migrate"], {
        env,
        encoding: "utf8",
      });
    expect(run().stdout).toMatch(/applied \d+_init/);
    expect(run().stdout).toMatch(/up to date/);
    execFileSync("psql", [admin.toString(), "-qc", `DROP DATABASE ${name} WITH (FORCE)`]);
  });
});
