// Synthetic studies for the dashboard tests and benchmark: seeded human streams with anticipations,
// slow outliers and post-switch errors, and model streams for both presets, written with
// createMany (the same rows the app stores). Returns the records so tests can run the in-memory
// analysis on exactly what went into the database.
import { createRng } from "@/lib/core/rng";
import { trialRecordSchema, type TrialRecord } from "@/lib/core/trial-record";

import type { Db } from "../db";
import { toModelTrialRow } from "../model-streams";

export type SyntheticStudy = {
  studyId: string;
  runs: {
    runId: string;
    isPilot: boolean;
    status: string;
    human: TrialRecord[];
    models: Record<string, TrialRecord[]>;
  }[];
};

export function syntheticHumanStream(
  seed: number,
  blocks: number,
  perBlock: number,
): TrialRecord[] {
  const rng = createRng(seed);
  const out: TrialRecord[] = [];
  const baseRt = 350 + 100 * (seed % 7);
  for (let b = 0; b < blocks; b++) {
    const practice = b / blocks;
    for (let i = 0; i < perBlock; i++) {
      const pError = b > 0 && i < 4 ? 0.5 * (1 - practice) * (1 - i / 4) + 0.05 : 0.05;
      const correct = rng.next() >= pError;
      const digit = [1, 2, 3, 4, 6, 7, 8, 9][rng.int(8)];
      const r = rng.next();
      // Participants differ in speed, so SD trimming per participant differs from trimming the pool.
      const rtMs =
        r < 0.03
          ? null
          : r < 0.06
            ? 60 + rng.int(80)
            : r < 0.08
              ? baseRt + 450 + rng.int(300)
              : baseRt + 60 * rng.normal() + (b > 0 && i === 0 ? 180 : 0);
      out.push(
        trialRecordSchema.parse({
          phase: "main",
          trialIndex: b * perBlock + i,
          blockIndex: b,
          trialInBlock: i,
          task: b % 2 === 0 ? "parity" : "magnitude",
          stimulus: String(digit),
          correctResponse: "f",
          congruent: digit % 2 === 1,
          response: rtMs === null ? null : correct ? "f" : "j",
          correct: rtMs !== null && correct,
          rtMs: rtMs === null ? null : Math.max(1, Math.round(rtMs * 10) / 10),
        }),
      );
    }
  }
  return out;
}

export function syntheticModelStream(
  human: readonly TrialRecord[],
  seed: number,
  flexible: boolean,
): TrialRecord[] {
  const rng = createRng(seed);
  return human.map((h) => {
    const practice = h.blockIndex / 20;
    const decay = Math.exp(-h.trialInBlock / (flexible ? 2 + 4 * (1 - practice) : 6));
    const loss = Math.max(
      0,
      (flexible ? 1 - practice : 0.6 + 0.3 * practice) * decay + 0.05 * rng.next(),
    );
    const correct = rng.next() > Math.min(0.9, loss / 2);
    const g = flexible ? (h.task === "parity" ? 0.9 : 0.1) : 0.5;
    return {
      ...h,
      response: correct ? h.correctResponse : "j",
      correct,
      rtMs: null,
      timeElapsedMs: null,
      output: correct ? 0.5 : -0.5,
      loss,
      gates: [g, 1 - g],
    };
  });
}

/** Insert a study owned by `ownerId` with `runs` runs; `pilot` / `incomplete` runs are extra. */
export async function seedSyntheticStudy(
  db: Db,
  opts: {
    ownerId: string;
    slug: string;
    runs: number;
    blocks: number;
    perBlock: number;
    seed: number;
    models?: boolean;
    pilot?: number;
    incomplete?: number;
    chunk?: number;
    /**
     * "sql": trials go in as literal multi-row INSERT statements (the benchmark's 720 000 rows in
     * seconds on PGlite, where createMany binds every value through the adapter); same rows.
     */
    insert?: "createMany" | "sql";
  },
): Promise<SyntheticStudy> {
  const study = await db.study.create({
    data: {
      slug: opts.slug,
      title: `Synthetic ${opts.slug}`,
      ownerId: opts.ownerId,
      status: "open",
      config: {},
    },
  });
  const out: SyntheticStudy = { studyId: study.id, runs: [] };
  const total = opts.runs + (opts.pilot ?? 0) + (opts.incomplete ?? 0);
  const chunk = opts.chunk ?? 5000;
  const runRows: object[] = [];
  const modelRunRows: object[] = [];
  const humanRows: object[] = [];
  const modelRows: object[] = [];
  for (let p = 0; p < total; p++) {
    const isPilot = p >= opts.runs && p < opts.runs + (opts.pilot ?? 0);
    const status = p >= opts.runs + (opts.pilot ?? 0) ? "active" : "completed";
    const human = syntheticHumanStream(opts.seed * 1000 + p, opts.blocks, opts.perBlock);
    const run = { id: `${opts.slug}-run-${p}` };
    runRows.push({
      id: run.id,
      studyId: study.id,
      token: `${opts.slug}-${p}-${"t".repeat(24)}`,
      participantIndex: p,
      isPilot,
      seed: p,
      curriculum: {},
      config: {},
      codeVersion: "test",
      expectedTrials: human.length,
      status: status as "completed" | "active",
    });
    humanRows.push(
      ...human.map(({ output: _o, loss: _l, gates: _g, ...r }) => ({ ...r, runId: run.id })),
    );
    const models: Record<string, TrialRecord[]> = {};
    if (opts.models ?? true) {
      for (const preset of ["flexible", "forgetful"] as const) {
        const records = syntheticModelStream(
          human,
          opts.seed * 7 + p * 2 + (preset === "flexible" ? 0 : 1),
          preset === "flexible",
        );
        const mr = { id: `${run.id}-${preset}` };
        modelRunRows.push({
          id: mr.id,
          runId: run.id,
          studyId: study.id,
          preset,
          params: {},
          seed: p,
          codeVersion: "test",
          source: "server",
          status: "done",
          expectedTrials: records.length,
        });
        modelRows.push(...records.map((r) => ({ modelRunId: mr.id, ...toModelTrialRow(r) })));
        models[preset] = records;
      }
    }
    out.runs.push({ runId: run.id, isPilot, status, human, models });
  }
  await db.run.createMany({ data: runRows as never });
  await db.modelRun.createMany({ data: modelRunRows as never });
  if (opts.insert === "sql") {
    await insertLiteralRows(db, "Trial", humanRows, chunk);
    await insertLiteralRows(db, "ModelTrial", modelRows, chunk);
    return out;
  }
  for (let i = 0; i < humanRows.length; i += chunk)
    await db.trial.createMany({ data: humanRows.slice(i, i + chunk) as never });
  for (let i = 0; i < modelRows.length; i += chunk)
    await db.modelTrial.createMany({ data: modelRows.slice(i, i + chunk) as never });
  return out;
}

/** SQL literal of a fixture value (strings, finite numbers, booleans, null, number arrays). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === "string") return `'${v.replaceAll("'", "''")}'`;
  if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(",")}]::float8[]`;
  throw new Error(`no literal for ${typeof v}`);
}

/** Insert rows (all with the keys of the first) as multi-row INSERT statements of `chunk` rows. */
async function insertLiteralRows(db: Db, table: string, rows: object[], chunk: number) {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const head = `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES `;
  for (let i = 0; i < rows.length; i += chunk) {
    const values = rows
      .slice(i, i + chunk)
      .map((r) => `(${cols.map((c) => literal((r as Record<string, unknown>)[c])).join(",")})`);
    await db.$executeRawUnsafe(head + values.join(","));
  }
}
