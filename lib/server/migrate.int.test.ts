// The wasm-engine migrator: applies the project's migrations, is idempotent, and fails loudly
// (non-zero, with the database's error) on a broken migration. Runs on PGlite, and also on the
// PostgreSQL server when DATABASE_URL is set.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";

import { applyMigrations, projectPaths, readMigrations } from "./migrate";

function copyMigrations(extra?: { name: string; sql: string }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nta-migrations-"));
  fs.cpSync(projectPaths.migrations, dir, { recursive: true });
  if (extra) {
    fs.mkdirSync(path.join(dir, extra.name));
    fs.writeFileSync(path.join(dir, extra.name, "migration.sql"), extra.sql);
  }
  return dir;
}

describe("applyMigrations on PGlite", () => {
  it("applies every migration once and then reports nothing to do", async () => {
    const db = new PGlite();
    const first = await applyMigrations({ kind: "pglite", client: db });
    expect(first).toEqual(readMigrations().migrationDirectories.map((d) => d.path));
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

describe("npm run db:migrate", () => {
  const url = process.env.DATABASE_URL;
  it("is idempotent on a PGlite data folder and exits non-zero on a broken migration", () => {
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
  });

  it.runIf(url)("is idempotent on the PostgreSQL server", () => {
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
