// Migrations without Prisma's native schema engine (it cannot be downloaded here, docs/ARCHITECTURE.md §6.3):
// the same engine compiled to WebAssembly (@prisma/schema-engine-wasm, version-matched to prisma
// 7.10.0) driven through the driver adapters. It writes the standard `_prisma_migrations` table and
// standard migration folders, so stock `prisma migrate` keeps working wherever its engine exists.
//
// Used by scripts/db.ts (npm run db:migrate / db:diff / db:status), by app start-up and by the
// database tests. Works on PGlite (embedded) and on a PostgreSQL server.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { serverEnv } from "./env";

export type MigrationTarget =
  { kind: "pglite"; client: PGlite } | { kind: "postgres"; url: string };

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
  devDiagnostic(input: object): Promise<{ action: { tag: string; reason?: string } }>;
  createMigration(
    input: object,
  ): Promise<{ generatedMigrationName: string; migrationScript: string | null }>;
  diagnoseMigrationHistory(input: object): Promise<{
    history: unknown;
    failedMigrationNames: string[];
    editedMigrationNames: string[];
    hasMigrationsTable: boolean;
  }>;
  free(): void;
};

const filters = { externalTables: [], externalEnums: [] };

export const projectPaths = {
  schema: path.resolve(process.cwd(), "prisma/schema.prisma"),
  /** NTA_MIGRATIONS_DIR overrides the folder (used by tests to apply a deliberately broken one). */
  migrations: path.resolve(process.cwd(), serverEnv().NTA_MIGRATIONS_DIR),
};

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

/** Read prisma/migrations into the engine's MigrationList shape. */
export function readMigrations(dir = projectPaths.migrations): MigrationList {
  const lockPath = path.join(dir, "migration_lock.toml");
  const dirs = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: dir,
    lockfile: {
      path: "migration_lock.toml",
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => {
      const file = path.join(dir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(file)
            ? { tag: "ok" as const, value: fs.readFileSync(file, "utf8") }
            : { tag: "error" as const, value: `${file} not found` },
        },
      };
    }),
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

function pgliteFactory(client: PGlite) {
  const factory = new PrismaPGlite(client);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => awaitScripts(await factory.connect(), client),
    connectToShadowDb: async () => {
      const shadow = new PGlite();
      const adapter = awaitScripts(await new PrismaPGlite(shadow).connect(), shadow);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await shadow.close();
      };
      return adapter;
    },
  };
}

function factoryFor(target: MigrationTarget) {
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
  target: MigrationTarget,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const rt = await loadEngineModule();
  const factory = factoryFor(target);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory as never);
  const schemaText = fs.readFileSync(projectPaths.schema, "utf8");
  const engine = await rt.SchemaEngine.new(
    { datamodels: [[projectPaths.schema, schemaText]] },
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

/** Apply every pending migration (= `prisma migrate deploy`). Returns the names applied. */
export async function applyMigrations(
  target: MigrationTarget,
  dir = projectPaths.migrations,
): Promise<string[]> {
  const migrationsList = readMigrations(dir);
  return withEngine(target, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters });
    return out.appliedMigrationNames;
  });
}

/** Which migrations the database lacks, and whether any failed or were edited after applying. */
export async function migrationStatus(target: MigrationTarget) {
  const migrationsList = readMigrations();
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
 * Write a new migration folder from the difference between the migration history and
 * prisma/schema.prisma (= `prisma migrate dev --create-only`). Returns null when nothing changed.
 */
export async function createMigration(
  target: MigrationTarget,
  name: string,
): Promise<{ dir: string; sql: string } | null> {
  const migrationsList = readMigrations();
  const schemaText = fs.readFileSync(projectPaths.schema, "utf8");
  return withEngine(target, async (engine) => {
    await engine.devDiagnostic({ migrationsList, filters }); // fills the shadow-DB cache createMigration needs
    const out = await engine.createMigration({
      draft: true,
      migrationName: name,
      migrationsList,
      schema: { files: [{ path: projectPaths.schema, content: schemaText }] },
      filters,
    });
    const sql = out.migrationScript ?? "";
    if (!sql.trim() || /^-- This is an empty migration\.\s*$/.test(sql.trim())) return null;
    const dir = path.join(projectPaths.migrations, out.generatedMigrationName);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    const lock = path.join(projectPaths.migrations, "migration_lock.toml");
    if (!fs.existsSync(lock)) {
      fs.writeFileSync(
        lock,
        '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
      );
    }
    return { dir, sql };
  });
}
