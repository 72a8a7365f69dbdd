// Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm, version-matched to
// prisma 7.10.0), driven through the driver adapters. Only `npm run db:diff` needs it: it computes a
// new migration from prisma/schema.prisma. (Prisma's native engine cannot be downloaded in our
// environment, docs/ARCHITECTURE.md §6.3.) Applying migrations does not touch it:
// lib/server/migrate.ts runs the SQL itself. The tests also use `engineApplyMigrations` and
// `engineMigrationHistory` as the reference our runner must agree with.
//
// The diff is the engine's `diff` (= `prisma migrate diff --from-migrations --to-schema`): it
// replays prisma/migrations on a shadow database and compares the result with the schema. The
// wasm engine cannot create a shadow database itself ("PostgreSQL shadow DB must be provided through
// an external factory"); our adapter factories provide one through `connectToShadowDb`: a fresh
// in-memory PGlite, or a temporary database on a PostgreSQL server, dropped afterwards. The engine's
// `createMigration` does not use that factory in 7.10 (it fails with the message above), so
// `createMigration` below is the diff plus a new migration folder.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { projectPaths, readMigrations, type MigrationTarget } from "./migrate";

type EngineModule = {
  SchemaEngine: {
    new: (options: unknown, log: (msg: string) => void, adapter: object) => Promise<SchemaEngine>;
  };
  __wbg_set_wasm: (exports: WebAssembly.Exports) => void;
};
type MigrationList = {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: {
    path: string;
    migrationFile: {
      path: string;
      content: { tag: "ok"; value: string } | { tag: "error"; value: string };
    };
  }[];
};
type SchemaEngine = {
  applyMigrations(input: object): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: object): Promise<{ exitCode: number; stdout: string | null }>;
  diagnoseMigrationHistory(input: object): Promise<{
    history: unknown;
    failedMigrationNames: string[];
    editedMigrationNames: string[];
    hasMigrationsTable: boolean;
  }>;
  free(): void;
};

const filters = { externalTables: [], externalEnums: [] };

let enginePromise: Promise<EngineModule> | null = null;

/** Load the wasm engine the way Prisma's own loader does (Node 20 cannot `import` a .wasm). */
function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const rt = (await import(
      /* webpackIgnore: true */ "@prisma/schema-engine-wasm/schema_engine_bg"
    )) as unknown as EngineModule & Record<string, unknown>;
    const wasmPath = path.join(path.dirname(bgPath), "schema_engine_bg.wasm");
    const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmPath)), {
      "./schema_engine_bg.js": rt as unknown as WebAssembly.ModuleImports,
    });
    rt.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return rt;
  })();
  return enginePromise;
}

/** The engine's MigrationList shape of a migrations folder. */
function engineMigrationList(dir: string): MigrationList {
  const lockPath = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: {
      path: "migration_lock.toml",
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: readMigrations(dir).map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: m.sql } },
    })),
  };
}

/**
 * adapter-pg 7.10 runs a script by splitting it at every `;`, so a `;` inside a comment or a string
 * literal breaks the migration (20261202062000_run_outcomes has one in a comment). Send the whole
 * script as one simple query instead, as PostgreSQL's own clients do.
 */
function patchExecuteScript(adapter: object) {
  const a = adapter as {
    executeScript(script: string): Promise<void>;
    client: { query(sql: string): Promise<unknown> };
    onError(error: unknown): never;
  };
  a.executeScript = async (script: string) => {
    try {
      await a.client.query(script);
    } catch (error) {
      a.onError(error);
    }
  };
}

/** adapter-pg cannot deserialize the catalog type `"char"` (oid 18); report it as text (oid 25). */
function patchCharOid(adapter: object) {
  let proto = Object.getPrototypeOf(adapter);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "performIO"))
    proto = Object.getPrototypeOf(proto);
  if (!proto || proto.__ntaCharPatched) return;
  const original = proto.performIO;
  proto.performIO = async function (this: unknown, ...args: unknown[]) {
    const result = await original.apply(this, args);
    for (const field of result?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  };
  proto.__ntaCharPatched = true;
}

function pgFields(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || "postgres"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1) || "postgres"),
  };
}

/**
 * A migration-aware adapter factory for a PostgreSQL server. Built from discrete fields (a
 * `connectionString` would override the shadow database name and point the "shadow" at the live
 * database), with a shadow database that is force-dropped after use.
 */
function postgresFactory(url: string) {
  const fields = pgFields(url);
  const factory = new PrismaPg(fields);
  const connect = factory.connect.bind(factory);
  const open: { dispose(): Promise<void> }[] = [];
  const wrapped = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await connect();
      patchCharOid(adapter);
      patchExecuteScript(adapter);
      open.push(adapter);
      return adapter;
    },
    /** Close the pools the engine opened, so the database can be dropped or used as a template. */
    async disposeAll() {
      await Promise.all(open.splice(0).map((a) => a.dispose().catch(() => undefined)));
    },
    async connectToShadowDb() {
      const name = `prisma_shadow_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client(fields);
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      const shadow = await new PrismaPg({ ...fields, database: name }).connect();
      patchCharOid(shadow);
      patchExecuteScript(shadow);
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        const drop = new pg.Client(fields);
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await drop.end();
      };
      return shadow;
    },
  };
  return wrapped;
}

/**
 * pglite-prisma-adapter 0.7.2 runs `executeScript` without awaiting `exec`, so a failing
 * migration would be recorded as applied and its error lost. Await it, so the engine sees the
 * failure, marks the migration failed and stops.
 */
function awaitScripts<A extends { executeScript(script: string): Promise<void> }>(
  adapter: A,
  client: PGlite,
): A {
  adapter.executeScript = async (script: string) => {
    await client.exec(script);
  };
  return adapter;
}

/**
 * Adapters on PGlite: `client`, or for a diff (which only needs the shadow) an in-memory PGlite
 * opened if the engine asks for the main connection at all. Each shadow is a fresh in-memory PGlite.
 */
function pgliteFactory(client: PGlite | null) {
  const opened: PGlite[] = [];
  const inMemory = async () => {
    const db = new PGlite();
    opened.push(db);
    return awaitScripts(await new PrismaPGlite(db).connect(), db);
  };
  return {
    provider: "postgres" as const,
    adapterName: "pglite-prisma-adapter",
    connect: async () =>
      client ? awaitScripts(await new PrismaPGlite(client).connect(), client) : inMemory(),
    connectToShadowDb: async () => {
      const adapter = await inMemory();
      const shadow = opened.pop()!;
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await shadow.close();
      };
      return adapter;
    },
    async disposeAll() {
      await Promise.all(opened.splice(0).map((db) => db.close().catch(() => undefined)));
    },
  };
}

function factoryFor(target: MigrationTarget | { kind: "pglite"; client: null }) {
  if (target.kind === "pglite") return pgliteFactory(target.client);
  return postgresFactory(target.url);
}

/** Engine errors carry `External error id#N`; the real message sits in the adapter's registry. */
function explain(
  err: unknown,
  adapter: { errorRegistry?: { consumeError?: (id: number) => unknown } },
): Error {
  const message = err instanceof Error ? err.message : String(err);
  const m = /External error id#(\d+)/.exec(message);
  const detail = m ? adapter.errorRegistry?.consumeError?.(Number(m[1])) : undefined;
  const extra = detail
    ? `\n${JSON.stringify(detail, (_k, v) => (v instanceof Error ? v.message : v), 2)}`
    : "";
  return new Error(message + extra);
}

async function withEngine<T>(
  target: MigrationTarget | { kind: "pglite"; client: null },
  fn: (engine: SchemaEngine) => Promise<T>,
  schemaPath = projectPaths.schema,
): Promise<T> {
  const rt = await loadEngineModule();
  const factory = factoryFor(target);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory as never);
  const schemaText = fs.readFileSync(schemaPath, "utf8");
  const engine = await rt.SchemaEngine.new(
    { datamodels: [[schemaPath, schemaText]] },
    () => {},
    adapter,
  );
  try {
    return await fn(engine);
  } catch (err) {
    throw explain(err, adapter as never);
  } finally {
    engine.free();
    if ("disposeAll" in factory) await (factory as { disposeAll(): Promise<void> }).disposeAll();
  }
}

/** `prisma migrate deploy` by the engine itself (tests compare our runner's rows with its rows). */
export async function engineApplyMigrations(
  target: MigrationTarget,
  dir = projectPaths.migrations,
): Promise<string[]> {
  const migrationsList = engineMigrationList(dir);
  return withEngine(target, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters });
    return out.appliedMigrationNames;
  });
}

/** Prisma's own view of the migration history (`prisma migrate status`), used by the tests as the
 * reference for lib/server/migrate.ts's migrationStatus. */
export async function engineMigrationHistory(
  target: MigrationTarget,
  dir = projectPaths.migrations,
) {
  const migrationsList = engineMigrationList(dir);
  return withEngine(target, async (engine) => {
    const d = await engine.diagnoseMigrationHistory({
      migrationsList,
      optInToShadowDatabase: false,
      filters,
    });
    return d;
  });
}

/**
 * Where the engine replays the migration history: a fresh in-memory PGlite (no server needed), or
 * a temporary database on the PostgreSQL server of `url` (created and force-dropped by
 * postgresFactory's `connectToShadowDb`; the user needs CREATEDB).
 */
export type ShadowServer = { kind: "pglite" } | { kind: "postgres"; url: string };

/**
 * The SQL that takes a database migrated with `dir` to `schemaPath`
 * (= `prisma migrate diff --from-migrations dir --to-schema schemaPath --script`); null when the
 * two agree. Reads no data and writes nothing outside the shadow database.
 */
export async function diffMigrationsToSchema(
  shadow: ShadowServer,
  { dir = projectPaths.migrations, schemaPath = projectPaths.schema } = {},
): Promise<string | null> {
  const migrationsList = engineMigrationList(dir);
  const schemaText = fs.readFileSync(schemaPath, "utf8");
  const target = shadow.kind === "pglite" ? { kind: "pglite" as const, client: null } : shadow;
  const out = await withEngine(
    target,
    (engine) =>
      engine.diff({
        from: { tag: "migrations", ...migrationsList },
        to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schemaText }] },
        script: true,
        exitCode: true,
        filters,
      }),
    schemaPath,
  );
  const sql = out.stdout ?? "";
  return out.exitCode === 0 || /^-- This is an empty migration\.\s*$/.test(sql.trim()) ? null : sql;
}

/** A migration folder name as Prisma writes it: UTC yyyyMMddHHmmss_name. */
export const migrationFolderName = (name: string, now = new Date()) =>
  `${now.toISOString().replace(/\D/g, "").slice(0, 14)}_${name}`;

/**
 * Write prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the
 * migration history and prisma/schema.prisma (= `prisma migrate dev --create-only`, without
 * touching the development database). Returns null when nothing changed.
 */
export async function createMigration(
  shadow: ShadowServer,
  name: string,
  migrationsDir = projectPaths.migrations,
): Promise<{ dir: string; sql: string } | null> {
  const sql = await diffMigrationsToSchema(shadow, { dir: migrationsDir });
  if (sql === null) return null;
  const dir = path.join(migrationsDir, migrationFolderName(name));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  return { dir, sql };
}
