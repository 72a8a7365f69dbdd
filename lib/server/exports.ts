// Trial exports for a study's owner: one long-format table of both streams (human and model), as
// CSV, JSON, or a psych-DS dataset zip. Everything streams: trials are read in keyset-paginated
// pages of EXPORT_PAGE_SIZE, and a page is only read when the client has taken the previous one
// (ReadableStream pull), so memory stays flat however large the study is.
import "server-only";

import { Zip, ZipDeflate } from "fflate";

import { runDesignColumns } from "@/lib/core/conditions";
import { MODEL_SOURCES, type ModelSourceName } from "@/lib/core/model-sources";
import { type StoredTrialFields, storedTrialFields } from "@/lib/core/trial-record";

import { getDb } from "./db";
import { fetchRunsQuality } from "./quality";
import { fetchOwnedStudy } from "./studies";

export const EXPORT_PAGE_SIZE = 5000;

/** Every export column, in order, with its meaning (psych-DS variableMeasured). */
export const EXPORT_COLUMNS = [
  [
    "stream",
    "human (a participant's trial) or model (the NTA model learning that participant's curriculum)",
  ],
  ["study", "study slug"],
  ["participantIndex", "participant index within the study (the run whose curriculum this is)"],
  ["externalId", "recruiter id of the participant (e.g. Prolific PID), empty for direct links"],
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
    "qualityFlags",
    "data-quality flags of the participant run (docs/quality.md: chance, chance-half, near-chance, misses, fast-rts, flat-rts, one-key, timing), separated by ';'; empty when none",
  ],
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
  ["rtMs", "human response time in ms from stimulus onset; empty on a timeout and for model rows"],
  ["output", "model rows: scalar output y-hat before the update"],
  ["loss", "model rows: task loss on this trial before the update"],
  ["gates", "model rows: gate activations c, separated by ';'"],
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number][0];
export type ExportRow = Record<ExportColumn, string | number | boolean | number[] | null>;
export type ExportStream = "human" | "model";
/** Model streams in an export: only the canonical one per run and preset (default), or all. */
export type ExportModelStreams = "canonical" | "all";

// ---------------------------------------------------------------------------------------------
// Rows, page by page (keyset pagination on the primary key: no OFFSET, stable under inserts).

type RunInfo = {
  participantIndex: number;
  externalId: string | null;
  isPilot: boolean;
};
/** Per-run columns read once per run (quality flags, condition, key mapping, effective design). */
type RunColumns = {
  qualityFlags: string;
  condition: string;
  keyMapping: string;
  runConfig: string;
};

/** The one mapping from a stored trial to an export row (human: `model` null). */
export function toExportRow(
  slug: string,
  run: (RunInfo & RunColumns) | null,
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
    participantIndex: run?.participantIndex ?? null,
    externalId: run?.externalId ?? null,
    pilot: run?.isPilot ?? false,
    qualityFlags: run?.qualityFlags ?? null,
    condition: run?.condition ?? null,
    keyMapping: run?.keyMapping ?? null,
    runConfig: run?.runConfig ?? null,
    modelPreset: model?.preset ?? null,
    modelSource: model?.source ?? null,
    modelCanonical: model ? model.canonical : null,
    phase: t.phase ?? "main",
    ...storedTrialFields(t),
    rtMs: model ? null : (t.rtMs ?? null),
    output: model ? (t.output ?? null) : null,
    loss: model ? (t.loss ?? null) : null,
    gates: model ? (t.gates ?? null) : null,
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

async function* humanPages(studyId: string, slug: string): AsyncGenerator<ExportRow[]> {
  const db = getDb();
  const runs = await db.run.findMany({
    where: { studyId },
    orderBy: { participantIndex: "asc" },
    select: { id: true, participantIndex: true, externalId: true, isPilot: true },
  });
  for (const run of runs) {
    const columns = await runColumnsOf(run);
    for (const phase of ["practice", "main"] as const) {
      let after = -1;
      for (;;) {
        const page = await db.trial.findMany({
          where: { runId: run.id, phase, trialIndex: { gt: after } },
          orderBy: { trialIndex: "asc" },
          take: EXPORT_PAGE_SIZE,
        });
        if (page.length === 0) break;
        yield page.map((t) => toExportRow(slug, { ...run, ...columns }, t, null));
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
  slug: string,
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
      run: { select: { id: true, participantIndex: true, externalId: true, isPilot: true } },
    },
  });
  const canonical = canonicalStreamIds(modelRuns);
  const columnsByRun = new Map<string, RunColumns>();
  for (const mr of modelRuns) {
    if (which === "canonical" && !canonical.has(mr.id)) continue;
    const model = { preset: mr.preset, source: mr.source, canonical: canonical.has(mr.id) };
    if (mr.run && !columnsByRun.has(mr.run.id))
      columnsByRun.set(mr.run.id, await runColumnsOf(mr.run));
    const run = mr.run ? { ...mr.run, ...columnsByRun.get(mr.run.id)! } : null;
    let after = -1;
    for (;;) {
      const page = await db.modelTrial.findMany({
        where: { modelRunId: mr.id, trialIndex: { gt: after } },
        orderBy: { trialIndex: "asc" },
        take: EXPORT_PAGE_SIZE,
      });
      if (page.length === 0) break;
      yield page.map((t) => toExportRow(slug, run, t, model));
      after = page[page.length - 1].trialIndex;
      if (page.length < EXPORT_PAGE_SIZE) break;
    }
  }
}

async function* exportPages(
  studyId: string,
  slug: string,
  streams: readonly ExportStream[],
  models: ExportModelStreams,
) {
  if (streams.includes("human")) yield* humanPages(studyId, slug);
  if (streams.includes("model")) yield* modelPages(studyId, slug, models);
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (= + - @ tab CR first) gets a
 * leading apostrophe (OWASP "CSV injection"): text such as external ids and stimuli comes from
 * outside. Numbers and booleans we format ourselves are never prefixed, so -0.42 stays a number.
 */
export function formatCsvCell(value: ExportRow[ExportColumn]): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value))
    return value.map((v) => (Number.isFinite(v) ? String(v) : "")).join(";");
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = `${EXPORT_COLUMNS.map(([name]) => name).join(",")}\r\n`;

export function formatCsvRows(rows: ExportRow[]): string {
  return rows
    .map((row) => `${EXPORT_COLUMNS.map(([name]) => formatCsvCell(row[name])).join(",")}\r\n`)
    .join("");
}

const encoder = new TextEncoder();

async function* csvChunks(pages: AsyncIterable<ExportRow[]>): AsyncGenerator<Uint8Array> {
  yield encoder.encode(CSV_HEADER);
  for await (const rows of pages) yield encoder.encode(formatCsvRows(rows));
}

// JSON: one array of row objects, streamed element by element ("gates" stays an array).
async function* jsonChunks(pages: AsyncIterable<ExportRow[]>): AsyncGenerator<Uint8Array> {
  yield encoder.encode("[");
  let first = true;
  for await (const rows of pages) {
    if (rows.length === 0) continue;
    yield encoder.encode((first ? "\n" : ",\n") + rows.map((r) => JSON.stringify(r)).join(",\n"));
    first = false;
  }
  yield encoder.encode("\n]\n");
}

// ---------------------------------------------------------------------------------------------
// psych-DS (https://psych-ds.github.io): dataset_description.json + data/<key-value>_data.csv.

/** psych-DS keyword values may hold letters and digits only ("-" and "_" are separators). */
function psychDsValue(text: string) {
  return text.replace(/[^A-Za-z0-9]/g, "") || "x";
}

/**
 * File names inside the zip. The stream is told apart by the official `description` keyword
 * (an unofficial key such as `stream-` makes the psych-DS validator complain).
 */
export function psychDsFileNames(slug: string) {
  const base = `data/study-${psychDsValue(slug)}`;
  return {
    human: `${base}_description-human_data.csv`,
    model: `${base}_description-model_data.csv`,
  };
}

export function psychDsDescription(study: { slug: string; title: string }, now = new Date()) {
  return {
    "@context": "https://schema.org/",
    "@type": "Dataset",
    name: study.title,
    description:
      `Trial-level data of the task-switching study "${study.title}" (slug ${study.slug}) from NTA Lab: ` +
      "human participants and the Neural Task Abstractions model (Sandbrink et al., NeurIPS 2024) learning the same curricula. " +
      "One row per trial, identical columns in both files.",
    dateCreated: now.toISOString(),
    keywords: ["task switching", "switch cost", "neural task abstractions"],
    variableMeasured: EXPORT_COLUMNS.map(([name, description]) => ({
      "@type": "PropertyValue",
      name,
      description,
    })),
  };
}

async function* psychDsZipChunks(
  studyId: string,
  study: { slug: string; title: string },
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

  addFile("dataset_description.json").push(
    encoder.encode(`${JSON.stringify(psychDsDescription(study), null, 2)}\n`),
    true,
  );
  yield* drain();
  const names = psychDsFileNames(study.slug);
  for (const stream of ["human", "model"] as const) {
    const file = addFile(names[stream]);
    for await (const chunk of csvChunks(exportPages(studyId, study.slug, [stream], models))) {
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

export type ExportFormat = "csv" | "json" | "psychds";

export type StudyExport = {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  fileName: string;
};

/**
 * The export of an owned study, or null when `userId` does not own it. Ownership is checked
 * before the stream starts, so a stranger gets a 404 rather than a broken download.
 */
export async function createStudyExport(
  userId: string,
  studyId: string,
  format: ExportFormat,
  streams: readonly ExportStream[] = ["human", "model"],
  models: ExportModelStreams = "canonical",
): Promise<StudyExport | null> {
  const study = await fetchOwnedStudy(userId, studyId);
  if (!study) return null;
  const stamp = new Date().toISOString().slice(0, 10);
  const base = `nta-${study.slug}-${streams.length === 1 ? `${streams[0]}-` : ""}${models === "all" ? "all-model-streams-" : ""}trials-${stamp}`;
  switch (format) {
    case "csv":
      return {
        body: streamFrom(csvChunks(exportPages(study.id, study.slug, streams, models))),
        contentType: "text/csv; charset=utf-8",
        fileName: `${base}.csv`,
      };
    case "json":
      return {
        body: streamFrom(jsonChunks(exportPages(study.id, study.slug, streams, models))),
        contentType: "application/json; charset=utf-8",
        fileName: `${base}.json`,
      };
    case "psychds":
      return {
        body: streamFrom(psychDsZipChunks(study.id, study, models)),
        contentType: "application/zip",
        fileName: `nta-${study.slug}-psych-ds-${stamp}.zip`,
      };
  }
}
