// The raw SQL of the hot paths (lib/server/runs.ts, rate-limit.ts, job-runner.ts) names tables and
// columns by hand. This test reads that SQL and prisma/schema.prisma and fails when they drift: an
// INSERT or UPDATE naming a column the model lacks, an INSERT that leaves out a required column
// without a default, or a jsonb_to_recordset column whose SQL type does not match the field's type.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

type Field = { type: string; optional: boolean; hasDefault: boolean; list: boolean };
type Models = Map<string, Map<string, Field>>;

function parseSchema(text: string): Models {
  const models: Models = new Map();
  const names = new Set([...text.matchAll(/^(?:model|enum)\s+(\w+)/gm)].map((m) => m[1]));
  for (const m of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const fields = new Map<string, Field>();
    for (const line of m[2].split("\n")) {
      const f = /^\s*(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!f || line.trim().startsWith("//") || line.trim().startsWith("@@")) continue;
      const [, name, type, list, optional, rest] = f;
      const isRelation = names.has(type) && /@relation|^\s*$/.test(rest) && !isEnum(text, type);
      if (isRelation || list) continue;
      const column = /@map\("([^"]+)"\)/.exec(rest)?.[1] ?? name;
      fields.set(column, {
        type,
        optional: !!optional,
        hasDefault: /@default\(|@updatedAt/.test(rest),
        list: !!list,
      });
    }
    models.set(m[1], fields);
  }
  return models;
}
const isEnum = (schema: string, type: string) =>
  new RegExp(`^enum\\s+${type}\\b`, "m").test(schema);

const SQL_TYPE: Record<string, string[]> = {
  Int: ["int", "integer"],
  Float: ["double precision", "float8"],
  String: ["text"],
  Boolean: ["boolean", "bool"],
  DateTime: ["timestamp", "timestamptz", "timestamp(3)"],
};

const columnsOf = (list: string) =>
  list
    .split(",")
    .map((c) => c.trim().replace(/^"|"$/g, ""))
    .filter(Boolean);

function sqlProblems(source: string, file: string, schema: string): string[] {
  const models = parseSchema(schema);
  const problems: string[] = [];
  const model = (table: string) => {
    const m = models.get(table);
    if (!m) problems.push(`${file}: table "${table}" is not a model of schema.prisma`);
    return m;
  };
  for (const m of source.matchAll(/INSERT INTO "(\w+)"\s*\(([^)]*)\)/g)) {
    const fields = model(m[1]);
    if (!fields) continue;
    const listed = columnsOf(m[2]);
    for (const c of listed)
      if (!fields.has(c)) problems.push(`${file}: INSERT INTO "${m[1]}" names unknown column ${c}`);
    for (const [c, f] of fields)
      if (!f.optional && !f.hasDefault && !listed.includes(c))
        problems.push(`${file}: INSERT INTO "${m[1]}" leaves out required column ${c}`);
  }
  for (const m of source.matchAll(/UPDATE "(\w+)" SET ([\s\S]*?)\bWHERE\b/g)) {
    const fields = model(m[1]);
    if (!fields) continue;
    for (const a of m[2].matchAll(/"?(\w+)"?\s*=(?!=)/g))
      if (!fields.has(a[1])) problems.push(`${file}: UPDATE "${m[1]}" sets unknown column ${a[1]}`);
  }
  // INSERT INTO "T" (…) SELECT … FROM jsonb_to_recordset(…) AS x(col type, …): types must match.
  for (const m of source.matchAll(/jsonb_to_recordset\([^)]*\)\s*AS\s*\w+\(([\s\S]*?)\)\s*\n/g)) {
    const table = [...source.slice(0, m.index).matchAll(/INSERT INTO "(\w+)"/g)].at(-1)?.[1];
    const fields = table ? models.get(table) : undefined;
    if (!fields) continue;
    for (const def of m[1].split(",")) {
      const d = /^\s*"?(\w+)"?\s+(.+?)\s*$/.exec(def);
      if (!d) continue;
      const f = fields.get(d[1]);
      if (!f) {
        problems.push(`${file}: recordset column ${d[1]} is not a column of "${table}"`);
        continue;
      }
      const allowed = SQL_TYPE[f.type] ?? (isEnum(schema, f.type) ? ["text"] : []);
      if (!allowed.includes(d[2].toLowerCase()))
        problems.push(`${file}: recordset ${d[1]} is ${d[2]}, schema.prisma has ${f.type}`);
    }
  }
  return problems;
}

const schema = fs.readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
const HOT_PATHS = ["lib/server/runs.ts", "lib/server/rate-limit.ts", "lib/server/job-runner.ts"];

describe("hot-path SQL against schema.prisma", () => {
  it.each(HOT_PATHS)("%s names only columns the schema has, with matching types", (file) => {
    const source = fs.readFileSync(path.join(root, file), "utf8");
    expect(source).toMatch(/INSERT INTO|UPDATE "/);
    expect(sqlProblems(source, file, schema)).toEqual([]);
  });

  it("fails on a renamed column, a missing required column and a changed type", () => {
    const runs = fs.readFileSync(path.join(root, "lib/server/runs.ts"), "utf8");
    const renamed = schema.replace(/^(\s+)trialInBlock(\s+)Int/m, "$1positionInBlock$2Int");
    expect(sqlProblems(runs, "runs.ts", renamed).join("\n")).toMatch(/unknown column trialInBlock/);
    const required = schema.replace(/^(model Trial \{)/m, "$1\n  mood String");
    expect(sqlProblems(runs, "runs.ts", required).join("\n")).toMatch(/required column mood/);
    const retyped = schema.replace(/^(\s+rtMs\s+)Float/m, "$1Int");
    expect(sqlProblems(runs, "runs.ts", retyped).join("\n")).toMatch(/rtMs is double precision/);
  });
});
