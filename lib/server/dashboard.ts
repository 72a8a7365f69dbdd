// Study dashboard data in SQL (DESIGN.md science decision 4): human and model trials aggregated by
// GROUP BY into per-(block, position, task) cells — sums, never every trial in JavaScript — which
// lib/core/recovery.ts turns into recovery curves, switch − repeat costs and the practice trend
// with the same function it uses for one participant's TrialRecord stream.
// Human exclusions run in SQL exactly as lib/core/analysis.ts applyExclusions does per stream
// (one stream = one participant run): RT < minRtMs from every measure, post-error RTs via LAG,
// RTs beyond maxSd SDs of the participant's own switch / non-switch mean via window functions.
import "server-only";

import {
  type AnalysisOptions,
  type AnalysisOptionsInput,
  type ExclusionReport,
  resolveAnalysisOptions,
} from "@/lib/core/analysis";
import { type CellAnalysis, type SwitchCell, cellTailPosition, computeAnalysisFromCells } from "@/lib/core/recovery";

import { Prisma, getDb } from "./db";

export type RunFilter = {
  studyId: string;
  /** Only this participant run. */
  runId?: string;
  /** Leave out pilot runs (researchers testing). Default true. */
  excludePilots?: boolean;
  /** Only completed runs. Default true. */
  completedOnly?: boolean;
};

type CellRow = {
  blockIndex: number;
  position: number;
  task: string;
  n: number;
  errors: number;
  rtSumMs: number;
  nRt: number;
  lossSum: number;
  nLoss: number;
};

function runWhere(f: RunFilter) {
  const parts = [Prisma.sql`r."studyId" = ${f.studyId}`];
  if (f.runId) parts.push(Prisma.sql`r."id" = ${f.runId}`);
  if (f.excludePilots ?? true) parts.push(Prisma.sql`r."isPilot" = false`);
  if (f.completedOnly ?? true) parts.push(Prisma.sql`r."status" = 'completed'`);
  return Prisma.join(parts, " AND ");
}

/** Human trials with the exclusion flags of applyExclusions, one row per trial (a CTE, not fetched). */
function humanFlaggedCte(f: RunFilter, o: AnalysisOptions) {
  const ex = o.exclusions;
  const minRt = ex.minRtMs ?? -1;
  const maxSd = ex.maxSd ?? -1;
  return Prisma.sql`
    base AS (
      SELECT t."runId", t."trialIndex", t."blockIndex", t."trialInBlock", t."task", t."correct", t."rtMs",
             (LAG(t."correct") OVER w = false AND LAG(t."trialIndex") OVER w = t."trialIndex" - 1) AS after_error
      FROM "Trial" t JOIN "Run" r ON r."id" = t."runId"
      WHERE ${runWhere(f)} AND t."phase" = ${o.phase}::"TrialPhase"
      WINDOW w AS (PARTITION BY t."runId" ORDER BY t."trialIndex")
    ),
    flagged AS (
      SELECT *,
        (${ex.dropFirstBlock}::boolean AND "blockIndex" = 0) AS ex_first,
        (NOT (${ex.dropFirstBlock}::boolean AND "blockIndex" = 0) AND ${minRt}::float8 >= 0
          AND "rtMs" IS NOT NULL AND "rtMs" < ${minRt}::float8) AS ex_anticipation
      FROM base
    ),
    kept AS (
      SELECT *,
        ("correct" AND "rtMs" IS NOT NULL AND ${ex.dropPostError}::boolean AND coalesce(after_error, false)) AS ex_post_error,
        ("correct" AND "rtMs" IS NOT NULL AND NOT (${ex.dropPostError}::boolean AND coalesce(after_error, false))) AS rt_pre_sd,
        ("blockIndex" >= 1 AND "trialInBlock" = 0) AS is_switch
      FROM flagged WHERE NOT ex_first AND NOT ex_anticipation
    ),
    moments AS (
      SELECT *, avg("rtMs") OVER c AS rt_mean, stddev_samp("rtMs") OVER c AS rt_sd
      FROM kept WINDOW c AS (PARTITION BY "runId", is_switch, rt_pre_sd)
    ),
    analysed AS (
      SELECT *,
        (rt_pre_sd AND ${maxSd}::float8 >= 0 AND rt_sd IS NOT NULL AND abs("rtMs" - rt_mean) > ${maxSd}::float8 * rt_sd) AS ex_sd
      FROM moments
    )`;
}

/** Human cells of a study (or one run) after the exclusions in `options`. */
export async function fetchHumanCells(filter: RunFilter, options: AnalysisOptions): Promise<SwitchCell[]> {
  const tail = cellTailPosition(options);
  const rows = await getDb().$queryRaw<CellRow[]>`
    WITH ${humanFlaggedCte(filter, options)}
    SELECT "blockIndex", least("trialInBlock" + 1, ${tail}::int)::int AS position, "task",
           count(*)::int AS n,
           count(*) FILTER (WHERE NOT "correct")::int AS errors,
           coalesce(sum("rtMs") FILTER (WHERE rt_pre_sd AND NOT ex_sd), 0)::float8 AS "rtSumMs",
           count(*) FILTER (WHERE rt_pre_sd AND NOT ex_sd)::int AS "nRt",
           0::float8 AS "lossSum", 0::int AS "nLoss"
    FROM analysed
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3`;
  return rows.map(toCell);
}

/** What the exclusions removed, summed over participants, and how many participants. */
export async function fetchHumanExclusionReport(
  filter: RunFilter,
  options: AnalysisOptions,
): Promise<ExclusionReport & { participants: number }> {
  const [row] = await getDb().$queryRaw<
    { participants: number; trialsIn: number; firstBlock: number; anticipation: number; postError: number; sd: number; rtKept: number }[]
  >`
    WITH ${humanFlaggedCte(filter, options)},
    counts AS (
      SELECT count(DISTINCT "runId")::int AS participants, count(*)::int AS "trialsIn",
             count(*) FILTER (WHERE ex_first)::int AS "firstBlock",
             count(*) FILTER (WHERE ex_anticipation)::int AS anticipation
      FROM flagged
    ),
    rest AS (
      SELECT count(*)::int AS kept, count(*) FILTER (WHERE ex_post_error)::int AS "postError",
             count(*) FILTER (WHERE ex_sd)::int AS sd, count(*) FILTER (WHERE rt_pre_sd AND NOT ex_sd)::int AS "rtKept"
      FROM analysed
    )
    SELECT * FROM counts, rest`;
  const r = row as typeof row & { kept: number };
  return {
    participants: r.participants,
    options: options.exclusions,
    trialsIn: r.trialsIn,
    trialsKept: r.kept,
    rtTrialsKept: r.rtKept,
    counts: { anticipation: r.anticipation, firstBlock: r.firstBlock, slowOrFastOutlier: r.sd, postError: r.postError },
  };
}

export type ModelStreamFilter = RunFilter & {
  /** Where the streams came from; default server. */
  source?: "server" | "researcher_browser" | "participant_browser";
};

/** Model cells per preset (finished streams only), with the number of streams. No exclusions. */
export async function fetchModelCells(
  filter: ModelStreamFilter,
  options: AnalysisOptions,
): Promise<Map<string, { cells: SwitchCell[]; streams: number }>> {
  const tail = cellTailPosition(options);
  const source = filter.source ?? "server";
  const db = getDb();
  const where = Prisma.sql`${runWhere(filter)} AND m."studyId" = ${filter.studyId} AND m."source" = ${source}::"ModelSource" AND m."status" = 'done'`;
  const [rows, counts] = await Promise.all([
    db.$queryRaw<(CellRow & { preset: string })[]>`
      SELECT m."preset", mt."blockIndex", least(mt."trialInBlock" + 1, ${tail}::int)::int AS position, mt."task",
             count(*)::int AS n, count(*) FILTER (WHERE NOT mt."correct")::int AS errors,
             0::float8 AS "rtSumMs", 0::int AS "nRt",
             sum(mt."loss")::float8 AS "lossSum", count(mt."loss")::int AS "nLoss"
      FROM "ModelTrial" mt
        JOIN "ModelRun" m ON m."id" = mt."modelRunId"
        JOIN "Run" r ON r."id" = m."runId"
      WHERE ${where}
      GROUP BY 1, 2, 3, 4
      ORDER BY 1, 2, 3, 4`,
    db.$queryRaw<{ preset: string; streams: number }[]>`
      SELECT m."preset", count(*)::int AS streams
      FROM "ModelRun" m JOIN "Run" r ON r."id" = m."runId"
      WHERE ${where}
      GROUP BY 1`,
  ]);
  const out = new Map<string, { cells: SwitchCell[]; streams: number }>();
  for (const c of counts) out.set(c.preset, { cells: [], streams: c.streams });
  for (const row of rows) out.get(row.preset)?.cells.push(toCell(row));
  return out;
}

function toCell(r: CellRow): SwitchCell {
  return {
    blockIndex: Number(r.blockIndex),
    position: Number(r.position),
    task: r.task,
    n: Number(r.n),
    errors: Number(r.errors),
    rtSumMs: Number(r.rtSumMs),
    nRt: Number(r.nRt),
    lossSum: Number(r.lossSum),
    nLoss: Number(r.nLoss),
  };
}

export type StreamAnalysis = CellAnalysis & { streams: number };

export type DashboardData = {
  options: AnalysisOptions;
  filter: { excludePilots: boolean; completedOnly: boolean; modelSource: string };
  human: StreamAnalysis & { exclusions: ExclusionReport };
  models: Record<string, StreamAnalysis>;
};

export const DASHBOARD_PRESETS = ["flexible", "forgetful"] as const;

/** Everything the Fig. 8 view needs for a study (or one participant with `runId`), in four queries. */
export async function fetchDashboard(
  filter: ModelStreamFilter,
  input: AnalysisOptionsInput = {},
): Promise<DashboardData> {
  const options = resolveAnalysisOptions({ positions: 8, ...input });
  const modelOptions = { ...options, exclusions: { minRtMs: null, maxSd: null, dropPostError: false, dropFirstBlock: false } };
  const [humanCells, report, modelCells] = await Promise.all([
    fetchHumanCells(filter, options),
    fetchHumanExclusionReport(filter, options),
    fetchModelCells(filter, modelOptions),
  ]);
  const { participants, ...exclusions } = report;
  const models: Record<string, StreamAnalysis> = {};
  for (const preset of DASHBOARD_PRESETS) {
    const m = modelCells.get(preset) ?? { cells: [], streams: 0 };
    models[preset] = { ...computeAnalysisFromCells(m.cells, modelOptions), streams: m.streams };
  }
  return {
    options,
    filter: { excludePilots: filter.excludePilots ?? true, completedOnly: filter.completedOnly ?? true, modelSource: filter.source ?? "server" },
    human: { ...computeAnalysisFromCells(humanCells, options), streams: participants, exclusions },
    models,
  };
}
