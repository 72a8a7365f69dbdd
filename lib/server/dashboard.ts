// Study dashboard data in SQL (docs/science.md §10.4): human and model trials aggregated by
// GROUP BY into per-(block, position, task) cells — sums, never every trial in JavaScript — which
// lib/core/recovery.ts turns into recovery curves, switch − repeat costs and the practice trend.
// This is the one production definition (study dashboard, participant page, home page, bench); the
// in-memory lib/core/testing/switch-oracle.ts is its test oracle. Human exclusions run in SQL
// exactly as the oracle's applyExclusions does per stream (one stream = one participant run):
// RT < minRtMs from every measure, post-error RTs via LAG, RTs beyond maxSd SDs of the
// participant's own switch / non-switch mean via window functions. Per-participant sums of the
// same trials give every number its interval (fetchHumanUnits / fetchModelUnits).
import "server-only";

import {
  type AnalysisOptions,
  type AnalysisOptionsInput,
  type ExclusionReport,
  resolveAnalysisOptions,
} from "@/lib/core/analysis";
import {
  type CellAnalysis,
  type StreamIntervals,
  type SwitchCell,
  type UnitRow,
  HUMAN_INTERVALS,
  MODEL_INTERVALS,
  cellTailPosition,
  computeAnalysisFromCells,
  streamIntervals,
  switchesPerLevelFor,
  unitTables,
} from "@/lib/core/recovery";

import { storedTrialFields } from "@/lib/core/trial-record";
import {
  MODEL_SOURCES,
  type ModelSourceName,
  type StreamChoice,
  type StreamInventory,
} from "@/lib/core/model-sources";

import {
  ensureSummaries,
  fetchDesignsFromSummaries,
  humanAggregateFromSummaries,
  modelAggregateFromSummaries,
  summarisable,
} from "./dashboard-summary";
import { Prisma, getDb } from "./db";

export type RunFilter = {
  studyId: string;
  /** Only this participant run. */
  runId?: string;
  /** Only runs whose main-phase trials have this design (see fetchDesigns). */
  design?: Design;
  /** Leave out pilot runs (researchers testing). Default true. */
  excludePilots?: boolean;
  /** Only completed runs. Default true. */
  completedOnly?: boolean;
  /** Leave these runs out (participants with data-quality flags, lib/server/quality.ts). */
  excludeRunIds?: readonly string[];
  /** Only these runs (summaries computed for a batch of runs, lib/server/dashboard-summary.ts). */
  runIds?: readonly string[];
  /** Only runs of this between-participant condition (Run.condition); undefined = every run. */
  condition?: string;
};

/** A SwitchCell as raw SQL returns it: counts and sums may arrive as bigint or numeric strings. */
type CellRow = {
  [K in keyof SwitchCell]: SwitchCell[K] extends number ? number | bigint | string : SwitchCell[K];
};

/** The SQL condition on `r` ("Run") for a filter; `design` through `designSql` when given. */
export function runWhere(f: RunFilter, designSql?: (d: Design) => Prisma.Sql) {
  const parts = [Prisma.sql`r."studyId" = ${f.studyId}`];
  if (f.runId) parts.push(Prisma.sql`r."id" = ${f.runId}`);
  if (f.condition !== undefined) parts.push(Prisma.sql`r."condition" = ${f.condition}`);
  if (f.excludePilots ?? true) parts.push(Prisma.sql`r."isPilot" = false`);
  if (f.completedOnly ?? true) parts.push(Prisma.sql`r."status" = 'completed'`);
  if (f.runIds)
    parts.push(
      f.runIds.length ? Prisma.sql`r."id" IN (${Prisma.join([...f.runIds])})` : Prisma.sql`false`,
    );
  if (f.design && designSql) parts.push(designSql(f.design));
  else if (f.design)
    parts.push(Prisma.sql`(SELECT count(DISTINCT d."blockIndex") FROM "Trial" d
      WHERE d."runId" = r."id" AND d."phase" = 'main') = ${f.design.blocks}::int
      AND (SELECT max(d."trialInBlock") + 1 FROM "Trial" d
      WHERE d."runId" = r."id" AND d."phase" = 'main') = ${f.design.blockLength}::int`);
  if (f.excludeRunIds?.length)
    parts.push(Prisma.sql`r."id" NOT IN (${Prisma.join([...f.excludeRunIds])})`);
  return Prisma.join(parts, " AND ");
}

/** A design as the data show it: blocks a run went through and trials per block. */
export type Design = { blocks: number; blockLength: number };
export type DesignGroup = Design & { switches: number; runs: number };

/**
 * The designs of the runs a dashboard shows, read from their trials (not from the study's current
 * settings, which an edit may have changed): one group per (blocks, block length), most runs first.
 */
export async function fetchDesigns(filter: RunFilter): Promise<DesignGroup[]> {
  const rows = await getDb().$queryRaw<{ blocks: number; blockLength: number; runs: number }[]>`
    WITH per_run AS (
      SELECT t."runId", count(DISTINCT t."blockIndex")::int AS blocks,
             (max(t."trialInBlock") + 1)::int AS "blockLength"
      FROM "Trial" t JOIN "Run" r ON r."id" = t."runId"
      WHERE ${runWhere({ ...filter, design: undefined })} AND t."phase" = 'main'
      GROUP BY t."runId"
    )
    SELECT blocks, "blockLength", count(*)::int AS runs FROM per_run
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`;
  return rows.map((r) => ({
    blocks: Number(r.blocks),
    blockLength: Number(r.blockLength),
    switches: Number(r.blocks) - 1,
    runs: Number(r.runs),
  }));
}

/** Human trials with the exclusion flags of applyExclusions, one row per trial (a CTE, never fetched). */
export function humanFlaggedCte(f: RunFilter, o: AnalysisOptions) {
  const ex = o.exclusions;
  const minRt = ex.minRtMs ?? -1;
  const maxSd = ex.maxSd ?? -1;
  return Prisma.sql`
    base AS (
      SELECT t."runId", t."trialIndex", t."blockIndex", t."trialInBlock", t."task", t."congruent", t."correct", t."rtMs",
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

/** Intervals are computed for the first `maxLevels` practice levels only (those a view shows). */
export type UnitOptions = { maxLevels?: number };

/**
 * Per-unit sums behind every dashboard number, for its interval (lib/core/uncertainty.ts): a unit is
 * one participant run (humans, after the exclusions) or one canonical model stream. Computed in
 * the same scan as the cells (extra GROUPING SETS), three groupings per unit:
 *  - "L": practice level ⌊(k − 1) / switchesPerLevel⌋ × position ≤ J (recovery curves);
 *  - "K": switch k, positions ≤ J (practice trend);
 *  - "C": switch trial (1) / repeat trial j ≥ repeatFromPosition (0) × congruent (costs).
 * Levels follow switch numbers k, as the point estimates do when every switch is present (the
 * dashboard analyses all switches, intoTask null). Columns added to a row source that has
 * "blockIndex" and position.
 */
function unitColumns(o: AnalysisOptions, u: UnitOptions) {
  const J = o.positions;
  const spl = o.switchesPerLevel;
  const cap = Number.isFinite(u.maxLevels ?? Infinity) ? (u.maxLevels as number) : 1_000_000;
  return Prisma.sql`
    CASE WHEN "blockIndex" >= 1 AND position <= ${J}::int
              AND ("blockIndex" - 1) / ${spl}::int < ${cap}::int
         THEN ("blockIndex" - 1) / ${spl}::int END AS lvl,
    CASE WHEN "blockIndex" >= 1 AND position <= ${J}::int THEN "blockIndex" END AS sw,
    CASE WHEN "blockIndex" >= 1 AND position = 1 THEN 1
         WHEN position >= ${o.repeatFromPosition}::int THEN 0 END AS kind`;
}

/** Which grouping set a row belongs to (cells per preset/stream, total, L, K, C). */
const SET_LABEL = Prisma.sql`CASE WHEN GROUPING(unit) = 1 AND GROUPING("blockIndex") = 0 THEN 'cell'
  WHEN GROUPING(unit) = 1 THEN 'total' WHEN GROUPING(lvl) = 0 THEN 'L'
  WHEN GROUPING(sw) = 0 THEN 'K' ELSE 'C' END`;

type SetRow = CellRow & {
  set: "cell" | "total" | "L" | "K" | "C";
  unit: string | null;
  lvl: number | null;
  sw: number | null;
  kind: number | null;
  congruent: boolean | null;
};

/** The L/K/C rows of a grouped result as UnitRows (rows outside a grouping's trials dropped). */
function unitRowsOf<R extends SetRow>(rows: readonly R[], streamOf: (r: R) => string): UnitRow[] {
  const out: UnitRow[] = [];
  for (const r of rows) {
    const a = r.set === "L" ? r.lvl : r.set === "K" ? r.sw : r.set === "C" ? r.kind : null;
    if (a === null || a === undefined || r.unit === null || Number(r.n) === 0) continue;
    const c = toCell(r);
    out.push({
      stream: streamOf(r),
      unit: r.unit,
      kind: r.set as UnitRow["kind"],
      a: Number(a),
      b: r.set === "L" ? Number(r.position) : null,
      congruent: r.set === "C" ? Boolean(r.congruent) : null,
      n: c.n,
      errors: c.errors,
      rtSumMs: c.rtSumMs,
      nRt: c.nRt,
      lossSum: c.lossSum,
      nLoss: c.nLoss,
    });
  }
  return out;
}

type HumanRow = CellRow & {
  trialsIn: number;
  firstBlock: number;
  anticipation: number;
  postError: number;
  sd: number;
};

export type HumanAggregate = {
  cells: SwitchCell[];
  report: ExclusionReport & { participants: number };
  /** Per-participant sums (see unitColumns). */
  units: UnitRow[];
};

/**
 * Human cells of a study (or one run) after the exclusions in `options`, and what the exclusions
 * removed (summed over participants): one query, cells and grand total via GROUPING SETS.
 */
export async function fetchHumanAggregate(
  filter: RunFilter,
  options: AnalysisOptions,
  unitOptions: UnitOptions = {},
): Promise<HumanAggregate> {
  const tail = cellTailPosition(options);
  const participantsQuery = getDb().$queryRaw<{ participants: number }[]>`
    SELECT count(*)::int AS participants FROM "Run" r
    WHERE ${runWhere(filter)} AND EXISTS (SELECT 1 FROM "Trial" t WHERE t."runId" = r."id" AND t."phase" = ${options.phase}::"TrialPhase")`;
  const rowsQuery = getDb().$queryRaw<(HumanRow & SetRow)[]>`
    WITH ${humanFlaggedCte(filter, options)},
    positioned AS (
      SELECT *, "runId" AS unit, least("trialInBlock" + 1, ${tail}::int) AS position FROM analysed
    ),
    grouped AS (SELECT *, ${unitColumns(options, unitOptions)} FROM positioned)
    SELECT ${SET_LABEL} AS set, unit, lvl, sw, kind, "congruent",
           "blockIndex", position::int AS position, "task",
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
    FROM grouped
    GROUP BY GROUPING SETS (("blockIndex", position, "task"), (), (unit, lvl, position),
                            (unit, sw), (unit, kind, "congruent"))`;
  const [rows, [{ participants }]] = await Promise.all([rowsQuery, participantsQuery]);
  const total = rows.find((r) => r.set === "total");
  const cells = rows
    .filter((r) => r.set === "cell" && Number(r.n) > 0)
    .map(toCell)
    .sort(byCell);
  const t = (k: keyof HumanRow) => Number(total?.[k] ?? 0);
  return {
    cells,
    units: unitRowsOf(rows, () => "human"),
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
  /**
   * Which model streams: "canonical" (default) takes ONE finished stream per run and preset —
   * server first, else one computed in a researcher's browser, else in the participant's browser,
   * newest first — so a run with several copies is never counted twice; a source name takes only
   * streams from there (still one per run and preset: the table holds one per source).
   */
  source?: StreamChoice;
};

/** SQL rank of a source in the canonical choice (lower wins). */
const SOURCE_RANK = Prisma.sql`CASE m."source" WHEN 'server' THEN 0 WHEN 'researcher_browser' THEN 1 ELSE 2 END`;

/** The model streams a dashboard uses: one per (run, preset), see ModelStreamFilter.source. */
export function modelStreamsCte(filter: ModelStreamFilter, where = runWhere(filter)) {
  const source = filter.source ?? "canonical";
  const bySource =
    source === "canonical" ? Prisma.sql`true` : Prisma.sql`m."source" = ${source}::"ModelSource"`;
  return Prisma.sql`
    chosen AS (
      SELECT DISTINCT ON (m."runId", m."preset") m."id", m."runId", m."preset", m."source"
      FROM "ModelRun" m JOIN "Run" r ON r."id" = m."runId"
      WHERE ${where} AND m."studyId" = ${filter.studyId} AND m."status" = 'done' AND ${bySource}
      ORDER BY m."runId", m."preset", ${SOURCE_RANK}, m."finishedAt" DESC NULLS LAST, m."id"
    )`;
}

/** Finished model streams of the shown runs by preset and source, and how many are canonical. */
export async function fetchStreamInventory(filter: RunFilter): Promise<StreamInventory[]> {
  const rows = await getDb().$queryRaw<
    { preset: string; source: ModelSourceName; streams: number; canonical: number }[]
  >`
    WITH ${modelStreamsCte({ ...filter, source: "canonical" })}
    SELECT m."preset", m."source"::text AS source, count(*)::int AS streams,
           count(c."id")::int AS canonical
    FROM "ModelRun" m JOIN "Run" r ON r."id" = m."runId" LEFT JOIN chosen c ON c."id" = m."id"
    WHERE ${runWhere(filter)} AND m."studyId" = ${filter.studyId} AND m."status" = 'done'
    GROUP BY 1, 2 ORDER BY 1, 2`;
  return rows.map((r) => ({ ...r, streams: Number(r.streams), canonical: Number(r.canonical) }));
}

export type ModelAggregate = Map<string, { cells: SwitchCell[]; streams: number }> & {
  /** Per-stream sums (stream = preset; see unitColumns). */
  units?: UnitRow[];
};

/**
 * Model cells per preset (the chosen streams only: one per run and preset), with the number of
 * streams and, in the same scan, the per-stream sums for the intervals. No exclusions.
 */
export async function fetchModelCells(
  filter: ModelStreamFilter,
  options: AnalysisOptions,
  unitOptions: UnitOptions = {},
): Promise<ModelAggregate> {
  const tail = cellTailPosition(options);
  const rows = await getDb().$queryRaw<(SetRow & { preset: string })[]>`
    WITH ${modelStreamsCte(filter)},
    streams AS (
      SELECT m."id" AS unit, m."preset", mt."blockIndex",
             least(mt."trialInBlock" + 1, ${tail}::int) AS position,
             mt."task", mt."congruent", mt."correct", mt."loss"
      FROM "ModelTrial" mt JOIN chosen m ON m."id" = mt."modelRunId"
    ),
    grouped AS (SELECT *, ${unitColumns(options, unitOptions)} FROM streams)
    SELECT ${SET_LABEL} AS set, "preset", unit, lvl, sw, kind, "congruent",
           "blockIndex", position::int AS position, "task",
           count(*)::int AS n, count(*) FILTER (WHERE NOT "correct")::int AS errors,
           0::float8 AS "rtSumMs", 0::int AS "nRt",
           coalesce(sum("loss"), 0)::float8 AS "lossSum", count("loss")::int AS "nLoss"
    FROM grouped
    GROUP BY GROUPING SETS (("preset", "blockIndex", position, "task"), ("preset", unit, lvl, position),
                            ("preset", unit, sw), ("preset", unit, kind, "congruent"))`;
  const counts = await getDb().$queryRaw<{ preset: string; streams: number }[]>`
    WITH ${modelStreamsCte(filter)}
    SELECT "preset", count(*)::int AS streams FROM chosen GROUP BY 1`;
  const out: ModelAggregate = new Map();
  for (const c of counts) out.set(c.preset, { cells: [], streams: Number(c.streams) });
  for (const row of rows.filter((r) => r.set === "cell"))
    out.get(row.preset)?.cells.push(toCell(row));
  for (const m of out.values()) m.cells.sort(byCell);
  out.units = unitRowsOf(rows, (r) => r.preset);
  return out;
}

/** Cell order of computeAnalysisFromCells' inputs: block, position, task. */
const byCell = (a: SwitchCell, b: SwitchCell) =>
  a.blockIndex - b.blockIndex || a.position - b.position || a.task.localeCompare(b.task);

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

export type StreamAnalysis = CellAnalysis & { streams: number; intervals: StreamIntervals };

export type DashboardData = {
  options: AnalysisOptions;
  filter: { excludePilots: boolean; completedOnly: boolean; modelSource: string };
  human: StreamAnalysis & { exclusions: ExclusionReport };
  models: Record<string, StreamAnalysis>;
};

export const DASHBOARD_PRESETS = ["flexible", "forgetful"] as const;

/**
 * Where fetchDashboard reads: "auto" = the stored per-run summaries (lib/server/dashboard-summary.ts)
 * whenever the view allows it, else the trials; "trials" = always from the trials (the reference
 * computation the summaries must reproduce).
 */
export type DashboardSource = { from?: "auto" | "trials" };

/** Everything the Fig. 8 view needs for a study (or one participant with `runId`): one scan per stream kind. */
export async function fetchDashboard(
  filter: ModelStreamFilter,
  input: AnalysisOptionsInput = {},
  unitOptions: UnitOptions = {},
  source: DashboardSource = {},
): Promise<DashboardData> {
  const options = resolveAnalysisOptions({ positions: 8, ...input });
  const modelOptions = {
    ...options,
    exclusions: { minRtMs: null, maxSd: null, dropPostError: false, dropFirstBlock: false },
  };
  const fromSummaries = source.from !== "trials" && summarisable(filter, options);
  if (fromSummaries) await ensureSummaries(filter.studyId, options.exclusions);
  const [human, modelCells] = fromSummaries
    ? await Promise.all([
        humanAggregateFromSummaries(filter, options, unitOptions),
        modelAggregateFromSummaries(filter, modelOptions, unitOptions, options.exclusions),
      ])
    : await Promise.all([
        fetchHumanAggregate(filter, options, unitOptions),
        fetchModelCells(filter, modelOptions, unitOptions),
      ]);
  // units in a fixed order (stream, unit id), so the bootstrap draws the same participants
  // whichever way the sums were read
  const unitRows = [...human.units, ...(modelCells.units ?? [])].sort(
    (a, b) => a.stream.localeCompare(b.stream) || a.unit.localeCompare(b.unit),
  );
  const tables = unitTables(unitRows);
  const { participants, ...exclusions } = human.report;
  const models: Record<string, StreamAnalysis> = {};
  for (const preset of DASHBOARD_PRESETS) {
    const m = modelCells.get(preset) ?? { cells: [], streams: 0 };
    models[preset] = {
      ...computeAnalysisFromCells(m.cells, modelOptions),
      streams: m.streams,
      intervals: streamIntervals(tables.get(preset), MODEL_INTERVALS),
    };
  }
  return {
    options,
    filter: {
      excludePilots: filter.excludePilots ?? true,
      completedOnly: filter.completedOnly ?? true,
      modelSource: filter.source ?? "canonical",
    },
    human: {
      ...computeAnalysisFromCells(human.cells, options),
      streams: participants,
      exclusions,
      intervals: streamIntervals(tables.get("human"), HUMAN_INTERVALS),
    },
    models,
  };
}

export type StudyDashboard = DashboardData & {
  /** Designs of all shown runs (before the design filter); more than one = an edited study. */
  designs: DesignGroup[];
  /** The design analysed (null when no run has trials yet). */
  design: DesignGroup | null;
  inventory: StreamInventory[];
};

/**
 * The study dashboard: reads the designs from the runs, analyses ONE design at a time (the one
 * asked for, else the one most runs have), with J = min(8, block length) positions and practice
 * levels from the data's switch count (`levels` "first4": switches 1–4 one by one, as Fig. 8B).
 */
export async function fetchStudyDashboard(
  filter: ModelStreamFilter,
  view: { levels?: "grouped" | "first4"; dropPostError?: boolean } = {},
  source: DashboardSource = {},
): Promise<StudyDashboard> {
  const exclusions = resolveAnalysisOptions({
    exclusions: { dropPostError: view.dropPostError ?? false },
  }).exclusions;
  const fromSummaries =
    source.from !== "trials" &&
    summarisable(filter, resolveAnalysisOptions({ positions: 8, exclusions }));
  if (fromSummaries) await ensureSummaries(filter.studyId, exclusions);
  const [designs, inventory] = await Promise.all([
    fromSummaries ? fetchDesignsFromSummaries(filter, exclusions) : fetchDesigns(filter),
    fetchStreamInventory(filter),
  ]);
  const design =
    designs.find(
      (d) => d.blocks === filter.design?.blocks && d.blockLength === filter.design?.blockLength,
    ) ??
    designs[0] ??
    null;
  const positions = Math.max(1, Math.min(8, design?.blockLength ?? 8));
  const switchesPerLevel =
    view.levels === "first4" ? 1 : switchesPerLevelFor(design?.switches ?? 0, 4);
  const d = await fetchDashboard(
    { ...filter, design: designs.length > 1 && design ? design : undefined },
    {
      positions,
      switchesPerLevel,
      exclusions: { dropPostError: view.dropPostError ?? false },
    },
    { maxLevels: view.levels === "first4" ? 4 : Infinity },
    source,
  );
  return { ...d, designs, design, inventory };
}

/**
 * One participant run of an owned study with its human trials and, per preset, the stream chosen
 * as on the dashboard (ModelStreamFilter.source: canonical = server, else researcher's browser,
 * else participant's browser), plus every finished stream there is. Null if not in the study.
 */
export async function fetchRunStreams(
  studyId: string,
  runId: string,
  source: ModelStreamFilter["source"] = "canonical",
) {
  const db = getDb();
  const run = await db.run.findFirst({ where: { id: runId, studyId } });
  if (!run) return null;
  const [trials, modelRuns] = await Promise.all([
    db.trial.findMany({ where: { runId, phase: "main" }, orderBy: { trialIndex: "asc" } }),
    db.modelRun.findMany({
      where: { runId, status: "done" },
      orderBy: { finishedAt: "desc" },
    }),
  ]);
  const rank = (r: (typeof modelRuns)[number]) =>
    MODEL_SOURCES.indexOf(r.source as ModelSourceName);
  const chosen = new Map<string, (typeof modelRuns)[number]>();
  for (const preset of DASHBOARD_PRESETS) {
    const m = modelRuns
      .filter((r) => r.preset === preset && (source === "canonical" || r.source === source))
      .sort((a, b) => rank(a) - rank(b))[0];
    if (m) chosen.set(preset, m);
  }
  const available = modelRuns.map((r) => ({ preset: r.preset, source: r.source, seed: r.seed }));
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
        ...storedTrialFields(t),
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
    ...storedTrialFields(t),
    rtMs: t.rtMs,
    timeElapsedMs: t.timeElapsedMs,
    output: null,
    loss: null,
    gates: null,
  }));
  return { run, human, models, available };
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
      condition: true,
      _count: { select: { trials: true, modelRuns: true } },
    },
  });
  return runs.map(({ _count, ...r }) => ({
    ...r,
    savedTrials: _count.trials,
    modelStreams: _count.modelRuns,
  }));
}

/**
 * The landing page's live picture: post-switch error over switches for the simulated demo study
 * (participants, flexible and forgetful model, with intervals), or null before `npm run demo`.
 * Only aggregates of simulated data leave this function.
 */
export async function fetchDemoPicture(slug: string) {
  const study = await getDb().study.findUnique({ where: { slug }, select: { id: true } });
  if (!study) return null;
  const d = await fetchStudyDashboard({ studyId: study.id });
  if (d.human.streams === 0) return null;
  return {
    participants: d.human.streams,
    design: d.design,
    positions: d.options.positions,
    human: d.human,
    models: d.models as Record<"flexible" | "forgetful", StreamAnalysis>,
  };
}
