// Applies prisma/migrations/*/migration.sql itself, on PGlite or a PostgreSQL server, and records
// them in `_prisma_migrations` exactly as Prisma's `migrate deploy` does (same table, same
// checksum: sha256 hex of the migration file; started_at / finished_at / applied_steps_count /
// logs), so stock `prisma migrate` keeps working wherever its engine is available. Two processes
// starting at once are serialised by the PostgreSQL advisory lock Prisma itself takes
// (pg_advisory_lock(72707369)); two callers sharing one PGlite are serialised in-process.
// Computing a new migration (`npm run db:diff`) needs Prisma's schema engine: lib/server/migrate-engine.ts.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

import { serverEnv } from "./env";

export type MigrationTarget =
  { kind: "pglite"; client: PGlite } | { kind: "postgres"; url: string };

export const projectPaths = {
  schema: path.resolve(process.cwd(), "prisma/schema.prisma"),
  /** NTA_MIGRATIONS_DIR overrides the folder (used by tests to apply a deliberately broken one). */
  migrations: path.resolve(process.cwd(), serverEnv().NTA_MIGRATIONS_DIR),
};

/** The advisory-lock key of Prisma's schema engine, so our runner and `prisma migrate` exclude each other. */
export const PRISMA_ADVISORY_LOCK = 72707369;

/** Prisma's `_prisma_migrations` table for PostgreSQL, as its schema engine creates it. */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

/** Prisma's migration checksum: the lowercase hex SHA-256 of the migration.sql bytes. */
export const migrationChecksum = (sql: string) => createHash("sha256").update(sql).digest("hex");

/** The migration folders of `dir`, in name (= time) order. A folder without migration.sql is an error. */
export function readMigrations(dir = projectPaths.migrations): Migration[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!fs.existsSync(file)) throw new Error(`${file} not found`);
      const sql = fs.readFileSync(file, "utf8");
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

/** One database session: both targets speak the same SQL. */
type Session = {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** A multi-statement script without parameters. */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
};

const pgliteQueues = new WeakMap<PGlite, Promise<unknown>>();

async function openSession(target: MigrationTarget): Promise<Session> {
  if (target.kind === "pglite") {
    const db = target.client;
    return {
      query: async <T>(text: string, params?: unknown[]) => (await db.query<T>(text, params)).rows,
      exec: async (script) => void (await db.exec(script)),
      close: async () => {},
    };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  return {
    query: async <T>(text: string, params?: unknown[]) =>
      (await client.query(text, params as unknown[])).rows as T[],
    exec: async (script) => void (await client.query(script)),
    close: () => client.end(),
  };
}

/**
 * Run `fn` holding the migration lock: Prisma's advisory lock on the session (across processes
 * and instances), and for PGlite also an in-process queue (an embedded database has one session,
 * in which an advisory lock would be re-entrant).
 */
async function withMigrationLock<T>(
  target: MigrationTarget,
  fn: (s: Session) => Promise<T>,
): Promise<T> {
  const run = async () => {
    const s = await openSession(target);
    try {
      await s.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK})`);
      try {
        return await fn(s);
      } finally {
        await s.query(`SELECT pg_advisory_unlock(${PRISMA_ADVISORY_LOCK})`);
      }
    } finally {
      await s.close();
    }
  };
  if (target.kind === "postgres") return run();
  const previous = pgliteQueues.get(target.client) ?? Promise.resolve();
  const next = previous.then(run, run);
  pgliteQueues.set(
    target.client,
    next.catch(() => undefined),
  );
  return next;
}

type MigrationRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
};

async function readRows(s: Session): Promise<MigrationRow[] | null> {
  const [{ exists }] = await s.query<{ exists: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`,
  );
  if (!exists) return null;
  return s.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at, logs
     FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
}

export type MigrationStatus = {
  hasMigrationsTable: boolean;
  /** Applied and present in the folder, in order. */
  applied: string[];
  /** In the folder, not yet applied. */
  pending: string[];
  /** Started but never finished (and not rolled back): `prisma migrate resolve` territory. */
  failedMigrationNames: string[];
  /** Applied, but the file's checksum no longer matches the recorded one. */
  editedMigrationNames: string[];
  /** Recorded as applied in the database but missing from the folder. */
  unknownMigrationNames: string[];
};

function statusOf(migrations: Migration[], rows: MigrationRow[] | null): MigrationStatus {
  const live = (rows ?? []).filter((r) => r.rolled_back_at === null);
  const finished = new Map(
    live.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r]),
  );
  const local = new Set(migrations.map((m) => m.name));
  return {
    hasMigrationsTable: rows !== null,
    applied: migrations.filter((m) => finished.has(m.name)).map((m) => m.name),
    pending: migrations
      .filter((m) => !live.some((r) => r.migration_name === m.name))
      .map((m) => m.name),
    failedMigrationNames: live.filter((r) => r.finished_at === null).map((r) => r.migration_name),
    editedMigrationNames: migrations
      .filter((m) => {
        const r = finished.get(m.name);
        return r !== undefined && !checksumMatches(m.sql, r.checksum);
      })
      .map((m) => m.name),
    unknownMigrationNames: [...finished.keys()].filter((n) => !local.has(n)),
  };
}

/** As Prisma: a file whose line endings were converted still matches its recorded checksum. */
function checksumMatches(sql: string, checksum: string) {
  return [sql, sql.replace(/\r\n/g, "\n"), sql.replace(/(?<!\r)\n/g, "\r\n")].some(
    (v) => migrationChecksum(v) === checksum,
  );
}

/** Applied / pending / failed / edited migrations (= `prisma migrate status`). Read-only. */
export async function migrationStatus(
  target: MigrationTarget,
  dir = projectPaths.migrations,
): Promise<MigrationStatus> {
  const migrations = readMigrations(dir);
  const s = await openSession(target);
  try {
    return statusOf(migrations, await readRows(s));
  } finally {
    await s.close();
  }
}

/**
 * Apply every pending migration in order (= `prisma migrate deploy`); returns the names applied.
 * Each migration is recorded before it runs and finished after, so a failure leaves a failed row
 * with the database's message in `logs`, and later runs refuse to continue until it is resolved.
 */
export async function applyMigrations(
  target: MigrationTarget,
  dir = projectPaths.migrations,
): Promise<string[]> {
  const migrations = readMigrations(dir);
  return withMigrationLock(target, async (s) => {
    await s.exec(MIGRATIONS_TABLE_DDL);
    const status = statusOf(migrations, await readRows(s));
    if (status.failedMigrationNames.length)
      throw new Error(
        `Migration ${status.failedMigrationNames.join(", ")} failed earlier and was not resolved; ` +
          `fix the database, then mark it rolled back or applied in "_prisma_migrations" ` +
          `(prisma migrate resolve) before migrating again.`,
      );
    const applied: string[] = [];
    for (const m of migrations.filter((x) => status.pending.includes(x.name))) {
      const id = randomUUID();
      await s.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), 0)`,
        [id, m.checksum, m.name],
      );
      try {
        await s.exec(m.sql);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await s.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [
          id,
          `Migration ${m.name} failed to apply:\n${message}`,
        ]);
        throw new Error(`Migration ${m.name} failed: ${message}`, { cause: err });
      }
      await s.query(
        `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
        [id],
      );
      applied.push(m.name);
    }
    return applied;
  });
}
