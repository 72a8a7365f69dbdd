// Exports for a study's owner: one long-format table of both streams (human and model) per trial,
// or one row per participant run (outcome, timestamps, code version, consent record, config
// snapshot), as CSV or NDJSON, and a psych-DS dataset zip. Shareable exports identify participants
// by a keyed-hash pseudonym only; the private export (named so) adds the raw recruiter ids. Everything streams: trials are read in keyset-paginated
// pages of EXPORT_PAGE_SIZE, and a page is only read when the client has taken the previous one
// (ReadableStream pull), so memory stays flat however large the study is.
import "server-only";

import { createHash, createHmac, randomBytes } from "node:crypto";

import { Zip, ZipDeflate } from "fflate";

import { consentTextFor } from "@/lib/core/duration";
import { runDesignColumns } from "@/lib/core/conditions";
import { MODEL_SOURCES, type ModelSourceName } from "@/lib/core/model-sources";
import { returnReasonOf } from "@/lib/core/outcomes";
import { studyConfigSchema } from "@/lib/core/study-config";
import { type StoredTrialFields, storedTrialFields } from "@/lib/core/trial-record";

import { type Prisma, getDb } from "./db";
import { fetchRunsQuality } from "./quality";
import { fetchOwnedStudy } from "./studies";

export const EXPORT_PAGE_SIZE = 5000;

/**
 * Who an export is for. "shareable" (the default, and the psych-DS dataset) identifies
 * participants only by a pseudonym; "private" — the researcher's own file, named as such — adds
 * the raw recruiter ids.
 */
export type ExportAudience = "shareable" | "private";

type ColumnSpec = readonly [name: string, description: string, unit?: string];

/** Run-level columns of the trial tables (the run each trial belongs to), in order. */
const PARTICIPANT_COLUMNS = [
  [
    "participantId",
    "pseudonymised participant id: a keyed hash (HMAC-SHA-256) of the recruiter id with a secret kept by the study, the same for every export of this study and never reversible from the data; model rows carry their participant's id",
  ],
  ["participantIndex", "participant index within the study (the run whose curriculum this is)"],
] as const satisfies readonly ColumnSpec[];

/** Only in the private export: the raw recruiter ids. */
const PRIVATE_ID_COLUMNS = [
  [
    "externalId",
    "PRIVATE: recruiter id of the participant (e.g. Prolific PID), empty for direct links",
  ],
  ["externalStudyId", "PRIVATE: recruiter study id (Prolific STUDY_ID, MTurk hitId)"],
  ["externalSessionId", "PRIVATE: recruiter session id (Prolific SESSION_ID, MTurk assignmentId)"],
] as const satisfies readonly ColumnSpec[];

const RUN_COLUMNS = [
  ["pilot", "true for researcher pilot runs (exclude from analysis)"],
  ["condition", "the run's between-participant condition; empty for a study without conditions"],
  [
    "keyMapping",
    "the run's key mapping per rule (e.g. 'parity: f = odd digits, j = even digits; magnitude: ...')",
  ],
  [
    "runConfig",
    "the run's effective design as JSON (its condition applied, first task decided): taskPair, blocks, trialsPerBlock, firstTask, cueMode, feedback, breakEveryBlocks, timing, practice trials, keys",
  ],
  [
    "runStatus",
    "status of the participant run at export time: started, active, completed, abandoned or returned",
  ],
  [
    "runOutcome",
    "how the run ended: completed, consent-declined, screened-out, practice-failed or withdrawn; empty while unfinished",
  ],
  ["runStartedAt", "when the run started (ISO 8601, UTC)"],
  ["runCompletedAt", "when the last trial was confirmed (ISO 8601, UTC); empty unless completed"],
  ["codeVersion", "NTA Lab version (package version + commit) that served the run"],
  [
    "consentVersion",
    "version of the consent text the participant saw: 'sha256:' + the first 12 hex digits of the SHA-256 of the text as shown (duration filled in)",
  ],
  [
    "qualityFlags",
    "data-quality flags of the participant run (docs/quality.md: chance, chance-half, near-chance, misses, fast-rts, flat-rts, one-key, timing), separated by ';'; empty when none",
  ],
] as const satisfies readonly ColumnSpec[];

const TRIAL_COLUMNS = [
  ["modelPreset", "model rows: NTA preset (flexible, forgetful, ...)"],
  [
    "modelSource",
    "model rows: where the model ran (server, researcher_browser, participant_browser, paper)",
  ],
  [
    "modelCanonical",
    "model rows: true for the one stream per participant run and preset that the dashboards analyse (server, else researcher_browser, else participant_browser); analyse only these rows to count each run once",
  ],
  ["phase", "practice or main"],
  ["trialIndex", "0-based trial index within the phase"],
  ["blockIndex", "0-based block index; block k >= 1 starts right after switch k"],
  ["trialInBlock", "0-based position in the block; 0 is the first trial after a switch"],
  ["task", "task (rule) in force on this trial"],
  ["stimulus", "stimulus shown"],
  ["correctResponse", "key that is correct under the task in force"],
  ["congruent", "true when both tasks map the stimulus to the same key"],
  [
    "response",
    "key pressed (human) or chosen by the sign of the output (model); empty on a timeout",
  ],
  ["correct", "response equals correctResponse"],
  [
    "rtMs",
    "human response time from stimulus onset, rounded to 0.1 ms; empty on a timeout and for model rows",
    "ms",
  ],
  ["output", "model rows: scalar output y-hat before the update (6 significant digits)"],
  ["loss", "model rows: task loss on this trial before the update (6 significant digits)"],
  ["gates", "model rows: gate activations c, separated by ';' (6 significant digits)"],
] as const satisfies readonly ColumnSpec[];

/** The trial table's columns, in order, with their meaning (psych-DS variableMeasured). */
export function exportColumns(audience: ExportAudience = "shareable"): readonly ColumnSpec[] {
  return [
    [
      "stream",
      "human (a participant's trial) or model (the NTA model learning that participant's curriculum)",
    ],
    ["study", "study slug"],
    ...PARTICIPANT_COLUMNS,
    ...(audience === "private" ? PRIVATE_ID_COLUMNS : []),
    ...RUN_COLUMNS,
    ...TRIAL_COLUMNS,
  ];
}

/** The shareable trial table's columns (what the psych-DS data files hold). */
export const EXPORT_COLUMNS = exportColumns("shareable");

/** The runs table: one row per participant run, with its config snapshot and consent record. */
export function runColumns(audience: ExportAudience = "shareable"): readonly ColumnSpec[] {
  return [
    ["study", "study slug"],
    ...PARTICIPANT_COLUMNS,
    ...(audience === "private" ? PRIVATE_ID_COLUMNS : []),
    ["source", "recruiter: prolific, mturk or direct"],
    ...RUN_COLUMNS.filter(([name]) => name !== "qualityFlags"),
    [
      "durationS",
      "seconds from start to completion, rounded to 0.1 s; empty unless completed",
      "s",
    ],
    [
      "consentGiven",
      "true when the participant agreed (the run has trials), false when consent was declined, empty when unknown (left or was screened out before answering)",
    ],
    ["seed", "seed of the participant's curriculum and of jsPsych's randomisation"],
    ["mainTrials", "main trials in the participant's curriculum"],
    ["savedMainTrials", "main trials stored"],
    [
      "config",
      "the study configuration the run was generated from (JSON snapshot taken when the run started)",
    ],
  ];
}

type CellValue = string | number | boolean | number[] | null;
export type ExportRow = Record<string, CellValue>;
export type ExportStream = "human" | "model";
/** Model streams in an export: only the canonical one per run and preset (default), or all. */
export type ExportModelStreams = "canonical" | "all";

// ---------------------------------------------------------------------------------------------
// Rounding: milliseconds to 0.1 ms (browser clocks are no finer), model numbers to 6 digits.

/** A response time rounded to 0.1 ms (null stays null). */
export function roundRt(ms: number | null | undefined): number | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : Math.round(ms * 10) / 10;
}

const sig6 = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);

// ---------------------------------------------------------------------------------------------
// Participants and their runs.

/** The pseudonym of a participant: HMAC-SHA-256 of the recruiter id (else the run id). */
export function pseudonymFor(secret: string, run: { id: string; externalId: string | null }) {
  const subject = run.externalId === null ? `run:${run.id}` : `ext:${run.externalId}`;
  return `P${createHmac("sha256", secret).update(subject).digest("hex").slice(0, 16)}`;
}

/** The study's pseudonym key, made (once, race-free) on the first export. */
async function studySecret(studyId: string): Promise<string> {
  const db = getDb();
  await db.study.updateMany({
    where: { id: studyId, pseudonymSecret: null },
    data: { pseudonymSecret: randomBytes(32).toString("base64url") },
  });
  const { pseudonymSecret } = await db.study.findUniqueOrThrow({
    where: { id: studyId },
    select: { pseudonymSecret: true },
  });
  return pseudonymSecret!;
}

/** "sha256:<12 hex>" of the consent text exactly as the participant saw it. */
export function consentVersionOf(config: unknown): string {
  const parsed = studyConfigSchema.safeParse(config);
  if (!parsed.success) return "";
  const text = consentTextFor(parsed.data);
  return `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
}

const runSelect = {
  id: true,
  participantIndex: true,
  externalId: true,
  externalStudyId: true,
  externalSessionId: true,
  source: true,
  isPilot: true,
  status: true,
  statusReason: true,
  startedAt: true,
  completedAt: true,
  codeVersion: true,
  seed: true,
  expectedTrials: true,
  config: true,
  condition: true,
  curriculum: true,
} as const;

/** A run as the export reads it: the generated client's type of `runSelect` (no restated columns). */
type RunRow = Prisma.RunGetPayload<{ select: typeof runSelect }>;
/** Per-run columns read once per run (quality flags, condition, key mapping, effective design). */
type RunColumns = {
  qualityFlags: string;
  condition: string;
  keyMapping: string;
  runConfig: string;
};

/** The run-level cells shared by the trial rows and the runs table. */
type RunCells = Record<string, CellValue>;

type ExportContext = { slug: string; audience: ExportAudience; secret: string };

function runCells(ctx: ExportContext, run: RunRow, columns: RunColumns): RunCells {
  const outcome =
    run.status === "completed"
      ? "completed"
      : run.status === "returned"
        ? returnReasonOf(run.statusReason)
        : null;
  return {
    participantId: pseudonymFor(ctx.secret, run),
    participantIndex: run.participantIndex,
    ...(ctx.audience === "private"
      ? {
          externalId: run.externalId,
          externalStudyId: run.externalStudyId,
          externalSessionId: run.externalSessionId,
        }
      : {}),
    pilot: run.isPilot,
    runStatus: run.status,
    runOutcome: outcome,
    runStartedAt: run.startedAt.toISOString(),
    runCompletedAt: run.completedAt?.toISOString() ?? null,
    codeVersion: run.codeVersion,
    consentVersion: consentVersionOf(run.config),
    ...columns,
  };
}

// ---------------------------------------------------------------------------------------------
// Rows, page by page (keyset pagination on the primary key: no OFFSET, stable under inserts).

/** The one mapping from a stored trial to an export row (human: `model` null). */
export function toExportRow(
  slug: string,
  run: RunCells | null,
  t: StoredTrialFields & {
    phase?: string;
    rtMs?: number | null;
    output?: number | null;
    loss?: number | null;
    gates?: number[] | null;
  },
  model: { preset: string; source: string; canonical: boolean } | null,
): ExportRow {
  return {
    stream: model ? "model" : "human",
    study: slug,
    ...run,
    modelPreset: model?.preset ?? null,
    modelSource: model?.source ?? null,
    modelCanonical: model ? model.canonical : null,
    phase: t.phase ?? "main",
    ...storedTrialFields(t),
    rtMs: model ? null : roundRt(t.rtMs),
    output: model && t.output != null ? sig6(t.output) : null,
    loss: model && t.loss != null ? sig6(t.loss) : null,
    gates: model ? (t.gates?.map(sig6) ?? null) : null,
  };
}

/** One run's columns: ';'-joined quality flag codes (its main trials are read once per run), condition, key mapping, effective design. */
async function runColumnsOf(run: { id: string }): Promise<RunColumns> {
  const db = getDb();
  const r = await db.run.findUnique({
    where: { id: run.id },
    select: { id: true, config: true, expectedTrials: true, condition: true, curriculum: true },
  });
  if (!r) return { qualityFlags: "", condition: "", keyMapping: "", runConfig: "" };
  const report = (await fetchRunsQuality([r])).get(r.id)!;
  return {
    qualityFlags: report.flags.map((f) => f.code).join(";"),
    ...runDesignColumns(r),
  };
}

async function* humanPages(studyId: string, ctx: ExportContext): AsyncGenerator<ExportRow[]> {
  const db = getDb();
  const runs = await db.run.findMany({
    where: { studyId },
    orderBy: { participantIndex: "asc" },
    select: runSelect,
  });
  for (const run of runs) {
    const cells = runCells(ctx, run, await runColumnsOf(run));
    for (const phase of ["practice", "main"] as const) {
      let after = -1;
      for (;;) {
        const page = await db.trial.findMany({
          where: { runId: run.id, phase, trialIndex: { gt: after } },
          orderBy: { trialIndex: "asc" },
          take: EXPORT_PAGE_SIZE,
        });
        if (page.length === 0) break;
        yield page.map((t) => toExportRow(ctx.slug, cells, t, null));
        after = page[page.length - 1].trialIndex;
        if (page.length < EXPORT_PAGE_SIZE) break;
      }
    }
  }
}
/**
 * Ids of the canonical model streams of a study: per (participant run, preset) the finished stream
 * from the best-ranked source (MODEL_SOURCES order), newest first — the dashboards' choice.
 * Streams without a participant run (paper mode) are each their own canonical stream.
 */
export function canonicalStreamIds(
  streams: readonly {
    id: string;
    runId: string | null;
    preset: string;
    source: string;
    status: string;
    finishedAt: Date | null;
  }[],
): Set<string> {
  const rank = (s: string) => {
    const i = MODEL_SOURCES.indexOf(s as ModelSourceName);
    return i < 0 ? MODEL_SOURCES.length : i;
  };
  const best = new Map<string, (typeof streams)[number]>();
  for (const m of streams) {
    if (m.status !== "done") continue;
    const key = m.runId === null ? `id:${m.id}` : `${m.runId}|${m.preset}`;
    const b = best.get(key);
    if (
      !b ||
      rank(m.source) < rank(b.source) ||
      (rank(m.source) === rank(b.source) &&
        (m.finishedAt?.getTime() ?? 0) > (b.finishedAt?.getTime() ?? 0))
    )
      best.set(key, m);
  }
  return new Set([...best.values()].map((m) => m.id));
}

async function* modelPages(
  studyId: string,
  ctx: ExportContext,
  which: ExportModelStreams,
): AsyncGenerator<ExportRow[]> {
  const db = getDb();
  // Model runs belong to the study directly (paper mode, researcher runs) or through a participant run.
  const modelRuns = await db.modelRun.findMany({
    where: { OR: [{ studyId }, { run: { studyId } }] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      runId: true,
      preset: true,
      source: true,
      status: true,
      finishedAt: true,
      run: { select: runSelect },
    },
  });
  const canonical = canonicalStreamIds(modelRuns);
  const cellsByRun = new Map<string, RunCells>();
  for (const mr of modelRuns) {
    if (which === "canonical" && !canonical.has(mr.id)) continue;
    const model = { preset: mr.preset, source: mr.source, canonical: canonical.has(mr.id) };
    if (mr.run && !cellsByRun.has(mr.run.id))
      cellsByRun.set(mr.run.id, runCells(ctx, mr.run, await runColumnsOf(mr.run)));
    const run = mr.run ? cellsByRun.get(mr.run.id)! : null;
    let after = -1;
    for (;;) {
      const page = await db.modelTrial.findMany({
        where: { modelRunId: mr.id, trialIndex: { gt: after } },
        orderBy: { trialIndex: "asc" },
        take: EXPORT_PAGE_SIZE,
      });
      if (page.length === 0) break;
      yield page.map((t) => toExportRow(ctx.slug, run, t, model));
      after = page[page.length - 1].trialIndex;
      if (page.length < EXPORT_PAGE_SIZE) break;
    }
  }
}

async function* exportPages(
  studyId: string,
  ctx: ExportContext,
  streams: readonly ExportStream[],
  models: ExportModelStreams,
) {
  if (streams.includes("human")) yield* humanPages(studyId, ctx);
  if (streams.includes("model")) yield* modelPages(studyId, ctx, models);
}

/** The runs table, one page of runs at a time (each with its config snapshot). */
async function* runPages(studyId: string, ctx: ExportContext): AsyncGenerator<ExportRow[]> {
  const db = getDb();
  let after = -1;
  for (;;) {
    const runs = await db.run.findMany({
      where: { studyId, participantIndex: { gt: after } },
      orderBy: { participantIndex: "asc" },
      take: 500,
      select: runSelect,
    });
    if (runs.length === 0) break;
    const counts = await db.trial.groupBy({
      by: ["runId", "phase"],
      where: { runId: { in: runs.map((r) => r.id) } },
      _count: { _all: true },
    });
    const count = (runId: string, phase: string) =>
      counts.find((c) => c.runId === runId && c.phase === phase)?._count._all ?? 0;
    yield runs.map((run) => {
      const { qualityFlags: _q, ...cells } = runCells(ctx, run, {
        qualityFlags: "",
        ...runDesignColumns(run),
      });
      const anyTrial = count(run.id, "main") + count(run.id, "practice") > 0;
      return {
        study: ctx.slug,
        ...cells,
        source: run.source,
        durationS:
          run.completedAt === null
            ? null
            : Math.round((run.completedAt.getTime() - run.startedAt.getTime()) / 100) / 10,
        consentGiven: anyTrial ? true : run.statusReason === "consent-declined" ? false : null,
        seed: run.seed,
        mainTrials: run.expectedTrials,
        savedMainTrials: count(run.id, "main"),
        config: JSON.stringify(run.config),
      };
    });
    after = runs[runs.length - 1].participantIndex;
  }
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (= + - @ tab CR first) gets a
 * leading apostrophe (OWASP "CSV injection"): text such as external ids and stimuli comes from
 * outside. Numbers and booleans we format ourselves are never prefixed, so -0.42 stays a number.
 */
export function formatCsvCell(value: CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value))
    return value.map((v) => (Number.isFinite(v) ? String(v) : "")).join(";");
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const encoder = new TextEncoder();

async function* csvChunks(
  columns: readonly ColumnSpec[],
  pages: AsyncIterable<ExportRow[]>,
): AsyncGenerator<Uint8Array> {
  yield encoder.encode(`${columns.map(([name]) => name).join(",")}\r\n`);
  for await (const rows of pages)
    yield encoder.encode(
      rows
        .map((row) => `${columns.map(([name]) => formatCsvCell(row[name])).join(",")}\r\n`)
        .join(""),
    );
}

// NDJSON (https://github.com/ndjson/ndjson-spec): one JSON object per line, written page by page,
// so a reader can stream it too ("gates" stays an array, "config" an object).
async function* ndjsonChunks(
  columns: readonly ColumnSpec[],
  pages: AsyncIterable<ExportRow[]>,
): AsyncGenerator<Uint8Array> {
  for await (const rows of pages) {
    if (rows.length === 0) continue;
    yield encoder.encode(
      rows
        .map((row) => {
          const ordered: Record<string, unknown> = {};
          for (const [name] of columns)
            ordered[name] =
              name === "config" && typeof row[name] === "string"
                ? JSON.parse(row[name])
                : (row[name] ?? null);
          return `${JSON.stringify(ordered)}\n`;
        })
        .join(""),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// psych-DS (https://psych-ds.github.io): dataset_description.json, README.md and
// data/<keyword-value pairs>_data.csv, with official keywords only (study, description).

/** psych-DS keyword values may hold letters and digits only ("-" and "_" are separators). */
function psychDsValue(text: string) {
  return text.replace(/[^A-Za-z0-9]/g, "") || "x";
}

/** File names inside the zip: one data file per table, told apart by the `description` keyword. */
export function psychDsFileNames(slug: string) {
  const base = `data/study-${psychDsValue(slug)}`;
  return {
    human: `${base}_description-human_data.csv`,
    model: `${base}_description-model_data.csv`,
    runs: `${base}_description-runs_data.csv`,
  };
}

export const PSYCH_DS_LICENSE = "https://creativecommons.org/licenses/by/4.0/";

/** Every column of every data file once, with its description and unit (schema.org PropertyValue). */
function variableMeasured() {
  const seen = new Map<string, ColumnSpec>();
  for (const c of [...EXPORT_COLUMNS, ...runColumns("shareable")])
    if (!seen.has(c[0])) seen.set(c[0], c);
  return [...seen.values()].map(([name, description, unit]) => ({
    "@type": "PropertyValue",
    name,
    description,
    ...(unit ? { unitText: unit } : {}),
  }));
}

export function psychDsDescription(
  study: { slug: string; title: string; owner: { name: string | null; email: string } },
  now = new Date(),
) {
  const author = study.owner.name?.trim() || study.owner.email;
  const year = now.getUTCFullYear();
  return {
    "@context": "https://schema.org/",
    "@type": "Dataset",
    name: study.title,
    description:
      `Trial-level data of the task-switching study "${study.title}" (slug ${study.slug}) from NTA Lab: ` +
      "human participants and the Neural Task Abstractions model (Sandbrink et al., NeurIPS 2024) learning the same curricula. " +
      "One row per trial in the human and model files (identical columns), one row per participant run in the runs file " +
      "(status, outcome, timestamps, code version, consent record and the study configuration the run used). " +
      "Participants are identified by a pseudonym (participantId) only.",
    schemaVersion: "Psych-DS 0.1.0",
    author: [author],
    creator: [{ "@type": "Person", name: author }],
    citation: `${author} (${year}). ${study.title} [Data set]. Collected with NTA Lab.`,
    license: PSYCH_DS_LICENSE,
    dateCreated: now.toISOString(),
    keywords: ["task switching", "switch cost", "neural task abstractions"],
    usageInfo:
      "Shareable: participants are pseudonymised (keyed hash of the recruiter id); raw recruiter ids are not included.",
    variableMeasured: variableMeasured(),
  };
}

function psychDsReadme(study: { slug: string; title: string }) {
  const names = psychDsFileNames(study.slug);
  return `# ${study.title}

A psych-DS dataset exported from NTA Lab (study \`${study.slug}\`).

- \`${names.human}\`: one row per human trial (practice and main).
- \`${names.model}\`: one row per model trial (the NTA model learning each participant's curriculum).
- \`${names.runs}\`: one row per participant run, with its outcome, timestamps, code version,
  consent record and configuration snapshot.

Every column is described in \`dataset_description.json\` (\`variableMeasured\`). Rows of one
participant share \`participantId\`, a pseudonym; recruiter ids are not part of this dataset.
Response times are in milliseconds, rounded to 0.1 ms. A unique key of the trial files is
(stream, participantId, modelPreset, modelSource, phase, trialIndex).
`;
}

async function* psychDsZipChunks(
  studyId: string,
  study: { slug: string; title: string; owner: { name: string | null; email: string } },
  ctx: ExportContext,
  models: ExportModelStreams,
): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else out.push(chunk);
  });
  function* drain() {
    if (failure) throw failure;
    while (out.length > 0) yield out.shift()!;
  }
  const addFile = (name: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    return file;
  };
  const addText = (name: string, text: string) => addFile(name).push(encoder.encode(text), true);

  addText("dataset_description.json", `${JSON.stringify(psychDsDescription(study), null, 2)}\n`);
  addText("README.md", psychDsReadme(study));
  yield* drain();
  const names = psychDsFileNames(study.slug);
  const tables = [
    [names.human, EXPORT_COLUMNS, () => exportPages(studyId, ctx, ["human"], models)],
    [names.model, EXPORT_COLUMNS, () => exportPages(studyId, ctx, ["model"], models)],
    [names.runs, runColumns("shareable"), () => runPages(studyId, ctx)],
  ] as const;
  for (const [name, columns, pages] of tables) {
    const file = addFile(name);
    for await (const chunk of csvChunks(columns, pages())) {
      file.push(chunk);
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}

// ---------------------------------------------------------------------------------------------

/** A byte stream that asks its generator for the next chunk only when the reader wants more. */
function streamFrom(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** csv and ndjson (alias json) tables; psychds: the shareable dataset zip. */
export type ExportFormat = "csv" | "ndjson" | "psychds";
/** Which table: one row per trial (default) or one row per participant run. */
export type ExportTable = "trials" | "runs";

export type StudyExport = {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  fileName: string;
};

export type ExportOptions = {
  streams?: readonly ExportStream[];
  models?: ExportModelStreams;
  table?: ExportTable;
  audience?: ExportAudience;
};

/**
 * The export of an owned study, or null when `userId` does not own it. Ownership is checked
 * before the stream starts, so a stranger gets a 404 rather than a broken download. The psych-DS
 * dataset is always the shareable one.
 */
export async function createStudyExport(
  userId: string,
  studyId: string,
  format: ExportFormat,
  opts: ExportOptions = {},
): Promise<StudyExport | null> {
  const { streams = ["human", "model"], models = "canonical", table = "trials" } = opts;
  const audience = format === "psychds" ? "shareable" : (opts.audience ?? "shareable");
  const study = await fetchOwnedStudy(userId, studyId);
  if (!study) return null;
  const ctx: ExportContext = { slug: study.slug, audience, secret: await studySecret(study.id) };
  const stamp = new Date().toISOString().slice(0, 10);
  if (format === "psychds") {
    const owner = await getDb().user.findUniqueOrThrow({
      where: { id: study.ownerId },
      select: { name: true, email: true },
    });
    return {
      body: streamFrom(psychDsZipChunks(study.id, { ...study, owner }, ctx, models)),
      contentType: "application/zip",
      fileName: `nta-${study.slug}-psych-ds-${stamp}.zip`,
    };
  }
  const what =
    table === "runs"
      ? "runs"
      : `${streams.length === 1 ? `${streams[0]}-` : ""}${models === "all" ? "all-model-streams-" : ""}trials`;
  const base = `nta-${study.slug}-${audience === "private" ? "PRIVATE-raw-ids-" : ""}${what}-${stamp}`;
  const columns = table === "runs" ? runColumns(audience) : exportColumns(audience);
  const pages = () =>
    table === "runs" ? runPages(study.id, ctx) : exportPages(study.id, ctx, streams, models);
  return format === "csv"
    ? {
        body: streamFrom(csvChunks(columns, pages())),
        contentType: "text/csv; charset=utf-8",
        fileName: `${base}.csv`,
      }
    : {
        body: streamFrom(ndjsonChunks(columns, pages())),
        contentType: "application/x-ndjson; charset=utf-8",
        fileName: `${base}.ndjson`,
      };
}
