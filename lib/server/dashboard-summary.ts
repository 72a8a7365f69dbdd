// Stored per-run switch-cost sums (docs/science.md §10.4, docs/ARCHITECTURE.md): the study
// dashboard adds up one small row per participant run and per model stream instead of scanning
// every trial. A row holds, for ONE run (or stream) under one set of exclusion options, the sums
// of the SQL aggregation in dashboard.ts at the finest grain any dashboard view needs:
//  - per (block, position) with positions 1…8 one by one and 9 pooling every later one
//    (n, errors, kept-RT or loss sum and count) — recovery curves, practice trend, cells;
//  - per (position, congruency) over switch trials (position 1, block ≥ 1) and every later
//    position — the switch − repeat costs split by congruency;
//  - the exclusion counts and the run's design (blocks, trials per block) as its trials show it.
// Computed lazily, in SQL (the same CTE as the from-scratch path), for completed runs and finished
// streams that have none yet: a completed run takes no more trials, and a row whose stamp differs
// from the run's completedAt (a stream's finishedAt: a rerun rewrites the stream) is recomputed.
// The participant save path is not touched. `fetchDashboard(…, { from: "trials" })` is the
// from-scratch computation these sums must reproduce (dashboard-summary.int.test.ts). The study
// statistics (group-stats.ts) keep their own per-run rows in the same table under a "group-…" key
// and read the models' practice sums from the stream summaries here (streamPracticeSums).
import "server-only";

import type { AnalysisOptions, ExclusionOptions, ExclusionReport } from "@/lib/core/analysis";
import type { PracticeSums } from "@/lib/core/group-stats";
import { type SwitchCell, type UnitRow, cellTailPosition } from "@/lib/core/recovery";

import {
  type Design,
  type DesignGroup,
  type HumanAggregate,
  type ModelAggregate,
  type ModelStreamFilter,
  type RunFilter,
  type UnitOptions,
  humanFlaggedCte,
  modelStreamsCte,
  runWhere,
} from "./dashboard";
import { Prisma, getDb } from "./db";

/** Positions kept apart in a summary; this one pools every later position. */
const POOLED_POSITION = 9;
/** Bump when the stored layout or its definition changes: older rows are then recomputed. */
const SUMMARY_VERSION = 1;
/** Runs (streams) per summarising statement. */
const BATCH = 100;

/** Sums of one run or stream (JSON column), parallel arrays. */
type Sums = {
  /** Per (block b, position p): kept trials n, errors e, RT or loss sum s and count c. */
  b: number[];
  p: number[];
  n: number[];
  e: number[];
  s: number[];
  c: number[];
  /** Per (position gp, congruent gc) over switch trials (gp = 1, block ≥ 1) and gp ≥ 2. */
  gp: number[];
  gc: boolean[];
  gn: number[];
  ge: number[];
  gs: number[];
  gk: number[];
  /** Humans: trials in, first block, anticipation, post-error, SD outlier (exclusion counts). */
  x?: [number, number, number, number, number];
};

const exclusionsKey = (e: ExclusionOptions) =>
  `v${SUMMARY_VERSION}|main|${e.minRtMs ?? "-"}|${e.maxSd ?? "-"}|${Number(e.dropPostError)}|${Number(e.dropFirstBlock)}`;
const MODEL_KEY = `v${SUMMARY_VERSION}|main`;

/**
 * Whether a dashboard can be read from summaries: completed runs of a study (not one run's page,
 * which reads its own trials), main phase, all switches, positions within the stored ones.
 */
export function summarisable(filter: RunFilter, options: AnalysisOptions): boolean {
  return (
    (filter.completedOnly ?? true) &&
    !filter.runId &&
    !filter.runIds &&
    options.phase === "main" &&
    options.intoTask === null &&
    options.repeatFromPosition >= 2 &&
    cellTailPosition(options) <= POOLED_POSITION
  );
}

/** The design condition through the stored summaries (instead of counting the run's trials). */
const designThrough = (key: string) => (d: Design) =>
  Prisma.sql`EXISTS (SELECT 1 FROM "RunSwitchSummary" d WHERE d."runId" = r."id" AND d."key" = ${key}
    AND d."blocks" = ${d.blocks}::int AND d."blockLength" = ${d.blockLength}::int)`;

/** A summary is current when its stamp is the run's completion time. */
const CURRENT = Prisma.sql`s."stamp" IS NOT DISTINCT FROM r."completedAt"`;

const sumsJson = (prefix: string) =>
  Prisma.raw(`json_build_object(
    'b', coalesce(${prefix}c.b, '[]'), 'p', coalesce(${prefix}c.p, '[]'), 'n', coalesce(${prefix}c.n, '[]'),
    'e', coalesce(${prefix}c.e, '[]'), 's', coalesce(${prefix}c.s, '[]'), 'c', coalesce(${prefix}c.c, '[]'),
    'gp', coalesce(${prefix}g.gp, '[]'), 'gc', coalesce(${prefix}g.gc, '[]'), 'gn', coalesce(${prefix}g.gn, '[]'),
    'ge', coalesce(${prefix}g.ge, '[]'), 'gs', coalesce(${prefix}g.gs, '[]'), 'gk', coalesce(${prefix}g.gk, '[]')`);

/** Cells and congruency rows of `src` (columns unit, b, p, congruent, and the four sums) as JSON per unit. */
const packSql = Prisma.raw(`
    cj AS (
      SELECT unit, json_agg(b ORDER BY b, p) AS b, json_agg(p ORDER BY b, p) AS p,
             json_agg(n ORDER BY b, p) AS n, json_agg(e ORDER BY b, p) AS e,
             json_agg(s ORDER BY b, p) AS s, json_agg(c ORDER BY b, p) AS c
      FROM (SELECT unit, b, p, sum(n)::int AS n, sum(e)::int AS e, sum(s)::float8 AS s, sum(c)::int AS c
            FROM src GROUP BY 1, 2, 3) x
      GROUP BY unit
    ),
    gj AS (
      SELECT unit, json_agg(p ORDER BY p, g) AS gp, json_agg(g ORDER BY p, g) AS gc,
             json_agg(n ORDER BY p, g) AS gn, json_agg(e ORDER BY p, g) AS ge,
             json_agg(s ORDER BY p, g) AS gs, json_agg(c ORDER BY p, g) AS gk
      FROM (SELECT unit, p, "congruent" AS g, sum(n)::int AS n, sum(e)::int AS e,
                   sum(s)::float8 AS s, sum(c)::int AS c
            FROM src WHERE p >= 2 OR b >= 1 GROUP BY 1, 2, 3) x
      GROUP BY unit
    )`);

/** Summarise these completed runs under `exclusions` (upsert; one statement per batch). */
async function summariseRuns(
  studyId: string,
  runIds: readonly string[],
  exclusions: ExclusionOptions,
) {
  const key = exclusionsKey(exclusions);
  const options: AnalysisOptions = {
    positions: 1,
    switchesPerLevel: 1,
    repeatFromPosition: 2,
    intoTask: null,
    phase: "main",
    exclusions,
  };
  for (let i = 0; i < runIds.length; i += BATCH) {
    const ids = runIds.slice(i, i + BATCH);
    const filter = { studyId, runIds: ids, excludePilots: false, completedOnly: true };
    await getDb().$executeRaw`
      WITH ${humanFlaggedCte(filter, options)},
      src AS (
        SELECT "runId" AS unit, "blockIndex" AS b, least("trialInBlock" + 1, ${POOLED_POSITION}::int) AS p,
               "congruent",
               (is_kept)::int AS n, (is_kept AND NOT "correct")::int AS e,
               CASE WHEN rt_pre_sd AND NOT ex_sd THEN "rtMs" ELSE 0 END AS s,
               (rt_pre_sd AND NOT ex_sd)::int AS c
        FROM analysed
      ),
      per_run AS (
        SELECT "runId" AS unit, count(*)::int AS trials, count(DISTINCT "blockIndex")::int AS blocks,
               (max("trialInBlock") + 1)::int AS "blockLength",
               count(*) FILTER (WHERE ex_first)::int AS fb,
               count(*) FILTER (WHERE ex_anticipation)::int AS ant,
               count(*) FILTER (WHERE ex_post_error)::int AS pe,
               count(*) FILTER (WHERE ex_sd)::int AS sd
        FROM analysed GROUP BY 1
      ),
      ${packSql}
      INSERT INTO "RunSwitchSummary" ("runId", "key", "stamp", "blocks", "blockLength", "trials", "sums")
      SELECT r."id", ${key}, r."completedAt", coalesce(pr.blocks, 0), coalesce(pr."blockLength", 0),
             coalesce(pr.trials, 0),
             ${sumsJson("")}, 'x', json_build_array(coalesce(pr.trials, 0), coalesce(pr.fb, 0),
               coalesce(pr.ant, 0), coalesce(pr.pe, 0), coalesce(pr.sd, 0)))
      FROM "Run" r LEFT JOIN per_run pr ON pr.unit = r."id"
           LEFT JOIN cj c ON c.unit = r."id" LEFT JOIN gj g ON g.unit = r."id"
      WHERE r."id" IN (${Prisma.join(ids)})
      ON CONFLICT ("runId", "key") DO UPDATE SET "stamp" = EXCLUDED."stamp",
        "blocks" = EXCLUDED."blocks", "blockLength" = EXCLUDED."blockLength",
        "trials" = EXCLUDED."trials", "sums" = EXCLUDED."sums", "computedAt" = now()`;
  }
}

/** Summarise these finished model streams (upsert). */
async function summariseStreams(ids: readonly string[]) {
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    await getDb().$executeRaw`
      WITH src AS (
        SELECT mt."modelRunId" AS unit, mt."blockIndex" AS b,
               least(mt."trialInBlock" + 1, ${POOLED_POSITION}::int) AS p, mt."congruent",
               1 AS n, (NOT mt."correct")::int AS e, mt."loss" AS s, 1 AS c
        FROM "ModelTrial" mt WHERE mt."modelRunId" IN (${Prisma.join(batch)})
      ),
      ${packSql}
      INSERT INTO "ModelRunSwitchSummary" ("modelRunId", "key", "stamp", "sums")
      SELECT m."id", ${MODEL_KEY}, m."finishedAt", ${sumsJson("")})
      FROM "ModelRun" m LEFT JOIN cj c ON c.unit = m."id" LEFT JOIN gj g ON g.unit = m."id"
      WHERE m."id" IN (${Prisma.join(batch)})
      ON CONFLICT ("modelRunId", "key") DO UPDATE SET "stamp" = EXCLUDED."stamp",
        "sums" = EXCLUDED."sums", "computedAt" = now()`;
  }
}

/**
 * Compute the summaries a study's dashboard lacks: every completed run without a current row under
 * these exclusions, every finished stream of a completed run without a current row. Cheap when
 * nothing is missing (two index lookups per run, no trial read).
 */
export async function ensureSummaries(studyId: string, exclusions: ExclusionOptions) {
  const key = exclusionsKey(exclusions);
  const [runs, streams] = await Promise.all([
    getDb().$queryRaw<{ id: string }[]>`
      SELECT r."id" FROM "Run" r
      LEFT JOIN "RunSwitchSummary" s ON s."runId" = r."id" AND s."key" = ${key}
      WHERE r."studyId" = ${studyId} AND r."status" = 'completed' AND (s."runId" IS NULL OR NOT (${CURRENT}))
      ORDER BY r."id"`,
    ensureStreamSummaries(studyId),
  ]);
  await summariseRuns(
    studyId,
    runs.map((r) => r.id),
    exclusions,
  );
  return { runs: runs.length, streams };
}

/** Summarise the finished streams of a study's completed runs that have no current summary. */
export async function ensureStreamSummaries(studyId: string): Promise<number> {
  const streams = await getDb().$queryRaw<{ id: string }[]>`
    SELECT m."id" FROM "ModelRun" m JOIN "Run" r ON r."id" = m."runId"
    LEFT JOIN "ModelRunSwitchSummary" s ON s."modelRunId" = m."id" AND s."key" = ${MODEL_KEY}
    WHERE m."studyId" = ${studyId} AND m."status" = 'done' AND r."status" = 'completed'
      AND (s."modelRunId" IS NULL OR s."stamp" IS DISTINCT FROM m."finishedAt")
    ORDER BY m."id"`;
  await summariseStreams(streams.map((s) => s.id));
  return streams.length;
}

/**
 * The practice-effect sums (lib/core/group-stats.ts) of finished streams, from their stored
 * summaries (call ensureStreamSummaries first): the post-switch window is positions 1…window of
 * every block ≥ 1, the settled level the pooled tail position (trialInBlock ≥ baselineFrom). A
 * model answers every trial, so every trial counts; models have no RTs.
 */
export async function streamPracticeSums(
  modelRunIds: readonly string[],
  opts: { window: number; baselineFrom: number },
): Promise<Map<string, PracticeSums>> {
  if (opts.baselineFrom + 1 !== POOLED_POSITION || opts.window >= POOLED_POSITION)
    throw new Error("practice window and baseline must match the stored positions");
  const out = new Map<string, PracticeSums>();
  if (modelRunIds.length === 0) return out;
  const rows = await getDb().$queryRaw<{ id: string; sums: string }[]>`
    SELECT s."modelRunId" AS id,
           json_build_object('b', s."sums"->'b', 'p', s."sums"->'p', 'n', s."sums"->'n',
                             'e', s."sums"->'e')::text AS sums
    FROM "ModelRunSwitchSummary" s JOIN "ModelRun" m ON m."id" = s."modelRunId"
    WHERE s."modelRunId" IN (${Prisma.join(modelRunIds)}) AND s."key" = ${MODEL_KEY}
      AND s."stamp" IS NOT DISTINCT FROM m."finishedAt"`;
  for (const r of rows) {
    const x = JSON.parse(r.sums) as Pick<Sums, "b" | "p" | "n" | "e">;
    const blocks = [...new Set(x.b.filter((b) => b >= 1))].sort((a, b) => a - b);
    const at = new Map(blocks.map((b, i) => [b, i]));
    const cell = () => ({ n: 0, errors: 0, rtSum: 0, rtN: 0 });
    const post = blocks.map(cell);
    const settled = cell();
    for (let i = 0; i < x.b.length; i++) {
      const k = at.get(x.b[i]);
      const target =
        x.p[i] === POOLED_POSITION
          ? settled
          : x.p[i] <= opts.window && k !== undefined
            ? post[k]
            : null;
      if (!target) continue;
      target.n += x.n[i];
      target.errors += x.e[i];
    }
    out.set(r.id, { blocks, post, settled });
  }
  return out;
}

/** fetchDesigns through the summaries (call ensureSummaries first). */
export async function fetchDesignsFromSummaries(
  filter: RunFilter,
  exclusions: ExclusionOptions,
): Promise<DesignGroup[]> {
  const key = exclusionsKey(exclusions);
  const rows = await getDb().$queryRaw<{ blocks: number; blockLength: number; runs: number }[]>`
    SELECT s."blocks", s."blockLength", count(*)::int AS runs
    FROM "RunSwitchSummary" s JOIN "Run" r ON r."id" = s."runId"
    WHERE ${runWhere({ ...filter, design: undefined })} AND s."key" = ${key} AND ${CURRENT} AND s."trials" > 0
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`;
  return rows.map((r) => ({
    blocks: Number(r.blocks),
    blockLength: Number(r.blockLength),
    switches: Number(r.blocks) - 1,
    runs: Number(r.runs),
  }));
}

type Acc = { n: number; errors: number; s: number; c: number };
const acc = (): Acc => ({ n: 0, errors: 0, s: 0, c: 0 });
const add = (a: Acc, n: number, e: number, s: number, c: number) => {
  a.n += n;
  a.errors += e;
  a.s += s;
  a.c += c;
};

/**
 * Cells (tasks pooled: the summary path serves views over all switches) and per-unit rows, exactly
 * as dashboard.ts's GROUP BY makes them from the trials, from the units' stored sums.
 */
function aggregate(
  units: readonly { unit: string; sums: Sums }[],
  stream: string,
  isHuman: boolean,
  o: AnalysisOptions,
  u: UnitOptions,
): { cells: SwitchCell[]; units: UnitRow[] } {
  const J = o.positions;
  const tail = cellTailPosition(o);
  const spl = o.switchesPerLevel;
  const cap = u.maxLevels ?? Infinity;
  const cells = new Map<number, Acc & { b: number; p: number }>();
  const rows: UnitRow[] = [];
  const measure = (a: Acc) =>
    isHuman
      ? { n: a.n, errors: a.errors, rtSumMs: a.s, nRt: a.c, lossSum: 0, nLoss: 0 }
      : { n: a.n, errors: a.errors, rtSumMs: 0, nRt: 0, lossSum: a.s, nLoss: a.c };
  for (const { unit, sums: x } of units) {
    const L = new Map<number, Acc & { lvl: number; p: number }>();
    const K = new Map<number, Acc>();
    for (let i = 0; i < x.b.length; i++) {
      const b = x.b[i];
      const p = Math.min(x.p[i], tail);
      const id = b * 64 + p;
      let cell = cells.get(id);
      if (!cell) cells.set(id, (cell = { ...acc(), b, p }));
      add(cell, x.n[i], x.e[i], x.s[i], x.c[i]);
      if (b >= 1 && p <= J) {
        let k = K.get(b);
        if (!k) K.set(b, (k = acc()));
        add(k, x.n[i], x.e[i], x.s[i], x.c[i]);
        const lvl = Math.floor((b - 1) / spl);
        if (lvl < cap) {
          let l = L.get(lvl * 64 + p);
          if (!l) L.set(lvl * 64 + p, (l = { ...acc(), lvl, p }));
          add(l, x.n[i], x.e[i], x.s[i], x.c[i]);
        }
      }
    }
    const C = new Map<string, Acc & { kind: number; g: boolean }>();
    for (let i = 0; i < x.gp.length; i++) {
      const kind = x.gp[i] === 1 ? 1 : x.gp[i] >= o.repeatFromPosition ? 0 : null;
      if (kind === null) continue;
      const id = `${kind}:${x.gc[i]}`;
      let c = C.get(id);
      if (!c) C.set(id, (c = { ...acc(), kind, g: x.gc[i] }));
      add(c, x.gn[i], x.ge[i], x.gs[i], x.gk[i]);
    }
    const push = (
      kind: UnitRow["kind"],
      a: Acc,
      ka: number,
      b: number | null,
      g: boolean | null,
    ) => {
      if (a.n > 0) rows.push({ stream, unit, kind, a: ka, b, congruent: g, ...measure(a) });
    };
    for (const l of L.values()) push("L", l, l.lvl, l.p, null);
    for (const [b, k] of K) push("K", k, b, null, null);
    for (const c of C.values()) push("C", c, c.kind, null, c.g);
  }
  return {
    cells: [...cells.values()]
      .filter((c) => c.n > 0)
      .map((c) => ({ blockIndex: c.b, position: c.p, task: "", ...measure(c) })),
    units: rows,
  };
}

/** Human cells, units and exclusion report from the summaries (fetchHumanAggregate's answer). */
export async function humanAggregateFromSummaries(
  filter: RunFilter,
  options: AnalysisOptions,
  unitOptions: UnitOptions,
): Promise<HumanAggregate> {
  const key = exclusionsKey(options.exclusions);
  const rows = await getDb().$queryRaw<{ unit: string; trials: number; sums: string }[]>`
    SELECT s."runId" AS unit, s."trials", s."sums"::text AS sums
    FROM "RunSwitchSummary" s JOIN "Run" r ON r."id" = s."runId"
    WHERE ${runWhere(filter, designThrough(key))} AND s."key" = ${key} AND ${CURRENT} AND s."trials" > 0`;
  const units = rows.map((r) => ({ unit: r.unit, sums: JSON.parse(r.sums) as Sums }));
  const { cells, units: unitRows } = aggregate(units, "human", true, options, unitOptions);
  const t = [0, 0, 0, 0, 0];
  for (const { sums } of units) sums.x!.forEach((v, i) => (t[i] += v));
  const kept = cells.reduce((a, c) => [a[0] + c.n, a[1] + c.nRt], [0, 0]);
  const report: ExclusionReport & { participants: number } = {
    participants: units.length,
    options: options.exclusions,
    trialsIn: t[0],
    trialsKept: kept[0],
    rtTrialsKept: kept[1],
    counts: { anticipation: t[2], firstBlock: t[1], slowOrFastOutlier: t[4], postError: t[3] },
  };
  return { cells, units: unitRows, report };
}

/** Model cells per preset from the summaries of the chosen streams (fetchModelCells' answer). */
export async function modelAggregateFromSummaries(
  filter: ModelStreamFilter,
  options: AnalysisOptions,
  unitOptions: UnitOptions,
  humanExclusions: ExclusionOptions,
): Promise<ModelAggregate> {
  const where = runWhere(filter, designThrough(exclusionsKey(humanExclusions)));
  const read = () => getDb().$queryRaw<{ unit: string; preset: string; sums: string | null }[]>`
    WITH ${modelStreamsCte(filter, where)}
    SELECT m."id" AS unit, m."preset", s."sums"::text AS sums
    FROM chosen m JOIN "ModelRun" mr ON mr."id" = m."id"
    LEFT JOIN "ModelRunSwitchSummary" s ON s."modelRunId" = m."id" AND s."key" = ${MODEL_KEY}
      AND s."stamp" IS NOT DISTINCT FROM mr."finishedAt"
    ORDER BY m."preset", m."id"`;
  let rows = await read();
  const late = rows.filter((r) => r.sums === null).map((r) => r.unit);
  if (late.length > 0) {
    // finished after ensureSummaries looked: summarise now, so every chosen stream counts
    await summariseStreams(late);
    rows = await read();
  }
  const out: ModelAggregate = new Map();
  const byPreset = new Map<string, { unit: string; sums: Sums }[]>();
  for (const r of rows) {
    if (!byPreset.has(r.preset)) byPreset.set(r.preset, []);
    if (r.sums) byPreset.get(r.preset)!.push({ unit: r.unit, sums: JSON.parse(r.sums) as Sums });
  }
  out.units = [];
  for (const [preset, units] of byPreset) {
    const a = aggregate(units, preset, false, options, unitOptions);
    out.set(preset, {
      cells: a.cells,
      streams: rows.filter((r) => r.preset === preset).length,
    });
    out.units.push(...a.units);
  }
  return out;
}
