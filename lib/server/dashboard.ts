// Study dashboard data in SQL (docs/science.md §10.4): human and model trials aggregated by
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
import {
  type CellAnalysis,
  type SwitchCell,
  cellTailPosition,
  computeAnalysisFromCells,
} from "@/lib/core/recovery";

import { Prisma, getDb } from "./db";

export type RunFilter = {
  studyId: string;
  /** Only this participant run. */
  runId?: string;
  /** Leave out pilot runs (researchers testing). Default true. */
  excludePilots?: boolean;
  /** Only completed runs. Default true. */
  completedOnly?: boolean;
  /** Leave these runs out (participants with data-quality flags, lib/server/quality.ts). */
  excludeRunIds?: readonly string[];
};

/** A SwitchCell as raw SQL returns it: counts and sums may arrive as bigint or numeric strings. */
type CellRow = {
  [K in keyof SwitchCell]: SwitchCell[K] extends number ? number | bigint | string : SwitchCell[K];
};

function runWhere(f: RunFilter) {
  const parts = [Prisma.sql`r."studyId" = ${f.studyId}`];
  if (f.runId) parts.push(Prisma.sql`r."id" = ${f.runId}`);
  if (f.excludePilots ?? true) parts.push(Prisma.sql`r."isPilot" = false`);
  if (f.completedOnly ?? true) parts.push(Prisma.sql`r."status" = 'completed'`);
  if (f.excludeRunIds?.length)
    parts.push(Prisma.sql`r."id" NOT IN (${Prisma.join([...f.excludeRunIds])})`);
  return Prisma.join(parts, " AND ");
}

/** Human trials with the exclusion flags of applyExclusions, one row per trial (a CTE, never fetched). */
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
        (NOT ex_first AND NOT ex_anticipation) AS is_kept,
        (NOT ex_first AND NOT ex_anticipation AND "correct" AND "rtMs" IS NOT NULL
          AND ${ex.dropPostError}::boolean AND coalesce(after_error, false)) AS ex_post_error,
        (NOT ex_first AND NOT ex_anticipation AND "correct" AND "rtMs" IS NOT NULL
          AND NOT (${ex.dropPostError}::boolean AND coalesce(after_error, false))) AS rt_pre_sd,
        ("blockIndex" >= 1 AND "trialInBlock" = 0) AS is_switch
      FROM flagged
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

type HumanRow = CellRow & {
  is_total: number;
  trialsIn: number;
  firstBlock: number;
  anticipation: number;
  postError: number;
  sd: number;
};

export type HumanAggregate = {
  cells: SwitchCell[];
  report: ExclusionReport & { participants: number };
};

/**
 * Human cells of a study (or one run) after the exclusions in `options`, and what the exclusions
 * removed (summed over participants): one query, cells and grand total via GROUPING SETS.
 */
export async function fetchHumanAggregate(
  filter: RunFilter,
  options: AnalysisOptions,
): Promise<HumanAggregate> {
  const tail = cellTailPosition(options);
  const participantsQuery = getDb().$queryRaw<{ participants: number }[]>`
    SELECT count(*)::int AS participants FROM "Run" r
    WHERE ${runWhere(filter)} AND EXISTS (SELECT 1 FROM "Trial" t WHERE t."runId" = r."id" AND t."phase" = ${options.phase}::"TrialPhase")`;
  const rowsQuery = getDb().$queryRaw<HumanRow[]>`
    WITH ${humanFlaggedCte(filter, options)},
    positioned AS (SELECT *, least("trialInBlock" + 1, ${tail}::int) AS position FROM analysed)
    SELECT GROUPING("blockIndex")::int AS is_total, "blockIndex", position::int AS position, "task",
           count(*) FILTER (WHERE is_kept)::int AS n,
           count(*) FILTER (WHERE is_kept AND NOT "correct")::int AS errors,
           coalesce(sum("rtMs") FILTER (WHERE rt_pre_sd AND NOT ex_sd), 0)::float8 AS "rtSumMs",
           count(*) FILTER (WHERE rt_pre_sd AND NOT ex_sd)::int AS "nRt",
           0::float8 AS "lossSum", 0::int AS "nLoss",
           count(*)::int AS "trialsIn",
           count(*) FILTER (WHERE ex_first)::int AS "firstBlock",
           count(*) FILTER (WHERE ex_anticipation)::int AS anticipation,
           count(*) FILTER (WHERE ex_post_error)::int AS "postError",
           count(*) FILTER (WHERE ex_sd)::int AS sd
    FROM positioned
    GROUP BY GROUPING SETS (("blockIndex", position, "task"), ())
    ORDER BY 1, 2, 3, 4`;
  const [rows, [{ participants }]] = await Promise.all([rowsQuery, participantsQuery]);
  const total = rows.find((r) => Number(r.is_total) === 1);
  const cells = rows.filter((r) => Number(r.is_total) === 0 && Number(r.n) > 0).map(toCell);
  const t = (k: keyof HumanRow) => Number(total?.[k] ?? 0);
  return {
    cells,
    report: {
      participants: Number(participants),
      options: options.exclusions,
      trialsIn: t("trialsIn"),
      trialsKept: t("n"),
      rtTrialsKept: t("nRt"),
      counts: {
        anticipation: t("anticipation"),
        firstBlock: t("firstBlock"),
        slowOrFastOutlier: t("sd"),
        postError: t("postError"),
      },
    },
  };
}

/** Human cells only (see fetchHumanAggregate). */
export async function fetchHumanCells(
  filter: RunFilter,
  options: AnalysisOptions,
): Promise<SwitchCell[]> {
  return (await fetchHumanAggregate(filter, options)).cells;
}

/** The exclusion report only (see fetchHumanAggregate). */
export async function fetchHumanExclusionReport(filter: RunFilter, options: AnalysisOptions) {
  return (await fetchHumanAggregate(filter, options)).report;
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
  const rows = await getDb().$queryRaw<
    (CellRow & { preset: string; is_total: number; streams: number })[]
  >`
    WITH streams AS (
      SELECT m."id", m."preset", mt."blockIndex", least(mt."trialInBlock" + 1, ${tail}::int) AS position,
             mt."task", mt."correct", mt."loss"
      FROM "ModelTrial" mt
        JOIN "ModelRun" m ON m."id" = mt."modelRunId"
        JOIN "Run" r ON r."id" = m."runId"
      WHERE ${runWhere(filter)} AND m."studyId" = ${filter.studyId} AND m."source" = ${source}::"ModelSource" AND m."status" = 'done'
    )
    SELECT 0 AS is_total, "preset", "blockIndex", position::int AS position, "task",
           count(*)::int AS n, count(*) FILTER (WHERE NOT "correct")::int AS errors,
           0::float8 AS "rtSumMs", 0::int AS "nRt",
           sum("loss")::float8 AS "lossSum", count("loss")::int AS "nLoss",
           0::int AS streams
    FROM streams
    GROUP BY "preset", "blockIndex", position, "task"
    ORDER BY 1, 2, 3, 4, 5`;
  const counts = await getDb().$queryRaw<{ preset: string; streams: number }[]>`
    SELECT m."preset", count(*)::int AS streams FROM "ModelRun" m JOIN "Run" r ON r."id" = m."runId"
    WHERE ${runWhere(filter)} AND m."studyId" = ${filter.studyId} AND m."source" = ${source}::"ModelSource" AND m."status" = 'done'
    GROUP BY 1`;
  const out = new Map<string, { cells: SwitchCell[]; streams: number }>();
  for (const c of counts) out.set(c.preset, { cells: [], streams: Number(c.streams) });
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

/** Everything the Fig. 8 view needs for a study (or one participant with `runId`), in three queries. */
export async function fetchDashboard(
  filter: ModelStreamFilter,
  input: AnalysisOptionsInput = {},
): Promise<DashboardData> {
  const options = resolveAnalysisOptions({ positions: 8, ...input });
  const modelOptions = {
    ...options,
    exclusions: { minRtMs: null, maxSd: null, dropPostError: false, dropFirstBlock: false },
  };
  const [human, modelCells] = await Promise.all([
    fetchHumanAggregate(filter, options),
    fetchModelCells(filter, modelOptions),
  ]);
  const { participants, ...exclusions } = human.report;
  const models: Record<string, StreamAnalysis> = {};
  for (const preset of DASHBOARD_PRESETS) {
    const m = modelCells.get(preset) ?? { cells: [], streams: 0 };
    models[preset] = { ...computeAnalysisFromCells(m.cells, modelOptions), streams: m.streams };
  }
  return {
    options,
    filter: {
      excludePilots: filter.excludePilots ?? true,
      completedOnly: filter.completedOnly ?? true,
      modelSource: filter.source ?? "server",
    },
    human: { ...computeAnalysisFromCells(human.cells, options), streams: participants, exclusions },
    models,
  };
}

/**
 * One participant run of an owned study with its human trials and, per preset, the newest finished
 * model stream (server first, else one computed in a researcher's browser). Null if not in the study.
 */
export async function fetchRunStreams(studyId: string, runId: string) {
  const db = getDb();
  const run = await db.run.findFirst({ where: { id: runId, studyId } });
  if (!run) return null;
  const [trials, modelRuns] = await Promise.all([
    db.trial.findMany({ where: { runId, phase: "main" }, orderBy: { trialIndex: "asc" } }),
    db.modelRun.findMany({
      where: { runId, status: "done", source: { in: ["server", "researcher_browser"] } },
      orderBy: { finishedAt: "desc" },
    }),
  ]);
  const chosen = new Map<string, (typeof modelRuns)[number]>();
  for (const preset of DASHBOARD_PRESETS) {
    const m =
      modelRuns.find((r) => r.preset === preset && r.source === "server") ??
      modelRuns.find((r) => r.preset === preset);
    if (m) chosen.set(preset, m);
  }
  const models = await Promise.all(
    [...chosen.entries()].map(async ([preset, m]) => ({
      preset,
      source: m.source,
      seed: m.seed,
      finishedAt: m.finishedAt,
      records: (
        await db.modelTrial.findMany({
          where: { modelRunId: m.id },
          orderBy: { trialIndex: "asc" },
        })
      ).map((t) => ({
        phase: "main" as const,
        trialIndex: t.trialIndex,
        blockIndex: t.blockIndex,
        trialInBlock: t.trialInBlock,
        task: t.task,
        stimulus: t.stimulus,
        correctResponse: t.correctResponse,
        congruent: t.congruent,
        response: t.response,
        correct: t.correct,
        rtMs: null,
        timeElapsedMs: null,
        output: t.output,
        loss: t.loss,
        gates: t.gates,
      })),
    })),
  );
  const human = trials.map((t) => ({
    phase: t.phase,
    trialIndex: t.trialIndex,
    blockIndex: t.blockIndex,
    trialInBlock: t.trialInBlock,
    task: t.task,
    stimulus: t.stimulus,
    correctResponse: t.correctResponse,
    congruent: t.congruent,
    response: t.response,
    correct: t.correct,
    rtMs: t.rtMs,
    timeElapsedMs: t.timeElapsedMs,
    output: null,
    loss: null,
    gates: null,
  }));
  return { run, human, models };
}

/** Runs of a study for the dashboard's participant list (newest first, at most `limit`). */
export async function fetchDashboardRuns(studyId: string, limit = 200) {
  const runs = await getDb().run.findMany({
    where: { studyId },
    orderBy: { participantIndex: "desc" },
    take: limit,
    select: {
      id: true,
      participantIndex: true,
      status: true,
      isPilot: true,
      externalId: true,
      _count: { select: { trials: true, modelRuns: true } },
    },
  });
  return runs.map(({ _count, ...r }) => ({
    ...r,
    savedTrials: _count.trials,
    modelStreams: _count.modelRuns,
  }));
}
