// Participant runs: create or resume from a recruitment link, append trials idempotently,
// heartbeat, complete. Every function validates against the run's stored curriculum, so a
// request either stores exactly what the curriculum allows or stores nothing.
import "server-only";

import { randomBytes } from "node:crypto";

import { z } from "zod";

import type { RunCompletion } from "@/lib/core/api-responses";
import { assignRun, findCondition, usesAssignment } from "@/lib/core/conditions";
import { generateCurriculum, participantSeedFor } from "@/lib/core/curriculum";
import {
  curriculumMismatch,
  curriculumSchema,
  type Curriculum,
  type CurriculumTrial,
} from "@/lib/core/curriculum-schema";
import { timingFlags } from "@/lib/core/plausibility";
import { computePracticeStatus } from "@/lib/core/practice";
import {
  outcomeReward,
  returnReasonOf,
  returnRequestSchema,
  type RunOutcome,
} from "@/lib/core/outcomes";
import { recruitmentSchema, studyConfigSchema, type StudyConfig } from "@/lib/core/study-config";
import { trialRecordSchema, type TrialRecord } from "@/lib/core/trial-record";

import { getDb, type Db } from "./db";
import { serverEnv } from "./env";
import { enqueueModelStreams } from "./jobs";
import { HttpError, parseOr422 } from "./http";
import { hitRateLimit } from "./rate-limit";
import { codeVersion } from "./version";

/** Recruiter parameters accepted on the entry link (Prolific, MTurk, or a generic id). */
const externalIdValue = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only");

export const entryParamsSchema = z.object({
  PROLIFIC_PID: externalIdValue.optional(),
  STUDY_ID: externalIdValue.optional(),
  SESSION_ID: externalIdValue.optional(),
  workerId: externalIdValue.optional(),
  assignmentId: externalIdValue.optional(),
  hitId: externalIdValue.optional(),
  participant: externalIdValue.optional(),
  pilot: z.string().max(64).optional(),
  /** A pilot link's choice of condition (by name); refused on a participant link. */
  condition: z.string().max(64).optional(),
});
export type EntryParams = z.infer<typeof entryParamsSchema>;

export type EntryResult =
  /** `finished`: the run is completed or returned; its page shows the outcome (and its code) again. */
  | { kind: "run"; token: string; resumed: boolean; moved?: boolean; finished?: boolean }
  | {
      kind: "refused";
      reason:
        | "closed"
        | "archived"
        | "already-completed"
        | "not-found"
        | "rate-limited"
        | "bad-pilot"
        | "bad-condition";
    };

/**
 * New runs per client address per study and window (resumes are not counted). Generous, because
 * a lab's participants may share one address; NTA_RUN_CREATE_LIMIT overrides it (load tests).
 */
export const RUN_CREATE_LIMIT = {
  perWindow: serverEnv().NTA_RUN_CREATE_LIMIT,
  /**
   * Of those, entries without an external id and without the run cookie (every such entry is a
   * new run, so a client that drops cookies could mint runs without end).
   */
  anonymousPerWindow: serverEnv().NTA_ANON_RUN_LIMIT,
  windowMs: 10 * 60_000,
};

function newToken() {
  return randomBytes(24).toString("base64url"); // 192 random bits
}

function externalIdentity(p: EntryParams) {
  if (p.PROLIFIC_PID)
    return {
      source: "prolific",
      externalId: p.PROLIFIC_PID,
      externalStudyId: p.STUDY_ID,
      externalSessionId: p.SESSION_ID,
    };
  if (p.workerId)
    return {
      source: "mturk",
      externalId: p.workerId,
      externalStudyId: p.hitId,
      externalSessionId: p.assignmentId,
    };
  if (p.participant)
    return {
      source: "direct",
      externalId: p.participant,
      externalStudyId: undefined,
      externalSessionId: undefined,
    };
  return {
    source: "direct",
    externalId: undefined,
    externalStudyId: undefined,
    externalSessionId: undefined,
  };
}

/**
 * Create a run for a recruitment link, or resume the participant's unfinished run. One run per
 * external id per study: a finished one is never resumed, but its page (outcome and code, from the
 * server again) is where a returning participant lands. `resumeToken` is the run cookie of a
 * participant without an external id.
 */
export async function createOrResumeRun(
  slug: string,
  params: EntryParams,
  opts: {
    resumeToken?: string;
    userAgent?: string;
    clientIp?: string;
    /** The database client; tests pass a second one to act as a second app instance. */
    db?: Db;
  } = {},
): Promise<EntryResult> {
  const db = opts.db ?? getDb();
  const study = await db.study.findUnique({ where: { slug } });
  if (!study) return { kind: "refused", reason: "not-found" };
  // An archived study has ended for everyone, pilots included (lib/server/studies.ts).
  if (study.archivedAt) return { kind: "refused", reason: "archived" };
  // A mistyped pilot link must not start a real (non-pilot) run in the researcher's data.
  if (params.pilot !== undefined && params.pilot !== study.id)
    return { kind: "refused", reason: "bad-pilot" };
  const isPilot = params.pilot !== undefined;
  if (study.status !== "open" && !isPilot) return { kind: "refused", reason: "closed" };
  const config = studyConfigSchema.parse(study.config);
  // Only a pilot may pick its condition, and only one the study has.
  if (
    params.condition !== undefined &&
    (!isPilot || findCondition(config, params.condition) === undefined)
  )
    return { kind: "refused", reason: "bad-condition" };

  const identity = externalIdentity(params);
  const existing = identity.externalId
    ? await db.run.findUnique({
        where: { studyId_externalId: { studyId: study.id, externalId: identity.externalId } },
      })
    : opts.resumeToken
      ? await db.run.findFirst({ where: { token: opts.resumeToken, studyId: study.id } })
      : null;
  if (existing) return rejoin(existing, opts.resumeToken);

  if (opts.clientIp) {
    const limits = [
      [`run-create:${study.id}:${opts.clientIp}`, RUN_CREATE_LIMIT.perWindow] as const,
      ...(identity.externalId
        ? []
        : [
            [
              `run-create-anon:${study.id}:${opts.clientIp}`,
              RUN_CREATE_LIMIT.anonymousPerWindow,
            ] as const,
          ]),
    ];
    for (const [key, perWindow] of limits) {
      const limit = await hitRateLimit(key, perWindow, RUN_CREATE_LIMIT.windowMs);
      if (!limit.allowed) return { kind: "refused", reason: "rate-limited" };
    }
  }
  const newRun = { studyId: study.id, identity, isPilot, userAgent: opts.userAgent };
  const inserted = usesAssignment(config)
    ? await createAssignedRun(db, config, newRun, params.condition)
    : await createPlainRun(db, config, newRun);
  if (inserted) return { kind: "run", token: inserted, resumed: false };
  const winner = await db.run.findUnique({
    where: { studyId_externalId: { studyId: study.id, externalId: identity.externalId! } },
  });
  if (!winner) throw new Error("Run insert conflicted but no run holds the external id");
  // the other tab's run, just created: share it (a move would leave the tabs fighting over it)
  const finished = winner.status === "completed" || winner.status === "returned";
  return { kind: "run", token: winner.token, resumed: true, ...(finished ? { finished } : {}) };
}

type NewRun = {
  studyId: string;
  identity: ReturnType<typeof externalIdentity>;
  isPilot: boolean;
  userAgent: string | undefined;
};

/** A run of a study without conditions or counterbalanced keys; its token, or null on a conflict. */
async function createPlainRun(db: Db, config: StudyConfig, run: NewRun) {
  // The counter update is atomic, so concurrent entries get distinct participant indices.
  const { runCounter } = await db.study.update({
    where: { id: run.studyId },
    data: { runCounter: { increment: 1 } },
    select: { runCounter: true },
  });
  const participantIndex = runCounter - 1; // 0-based, like the curriculum preview's "participant 0"
  const seed = participantSeedFor(config.seed, participantIndex);
  const curriculum = generateCurriculum(config, seed, participantIndex);
  return insertRun(db, run, { participantIndex, seed, curriculum, config });
}

/**
 * A run of a study with conditions or counterbalanced key mappings (lib/core/conditions.ts). The
 * decision is made in the database, not in this process: one transaction increments the study's
 * run counter — which holds the study row's lock until commit — then tallies the runs that count
 * (completed or in progress, pilots excluded) and inserts the new run. Concurrent entries, from
 * this app instance or another, therefore see each other's runs and are balanced exactly. The run
 * stores its condition, counterbalancing cell and effective config; its curriculum is generated
 * from that config and its seed. Token, or null on an external-id conflict.
 */
async function createAssignedRun(
  db: Db,
  config: StudyConfig,
  run: NewRun,
  chosenCondition: string | undefined,
) {
  return oneAtATime(db, () => assignInTransaction(db, config, run, chosenCondition));
}

/**
 * Run this process's assignment transactions one at a time per client. Correctness comes from the
 * database lock (createAssignedRun); this only keeps a burst of entries from queueing dozens of
 * transactions at once: embedded PGlite runs one transaction at a time, and a transaction that
 * Prisma stopped waiting for (maxWait) would still be started by PGlite later and never finished.
 */
const assignmentQueues = new WeakMap<Db, Promise<unknown>>();
function oneAtATime<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const next = (assignmentQueues.get(db) ?? Promise.resolve()).catch(() => undefined).then(fn);
  assignmentQueues.set(db, next);
  return next;
}

/** Generous limits: a launch burst queues entries behind the study's row lock. */
const ASSIGNMENT_TRANSACTION = { maxWait: 30_000, timeout: 30_000 };

async function assignInTransaction(
  db: Db,
  config: StudyConfig,
  run: NewRun,
  chosenCondition: string | undefined,
) {
  return db.$transaction(async (tx) => {
    const { runCounter } = await tx.study.update({
      where: { id: run.studyId },
      data: { runCounter: { increment: 1 } },
      select: { runCounter: true },
    });
    const tallies = await tx.$queryRaw<
      { condition: string | null; cell: number | null; runs: number }[]
    >`
      SELECT condition, "counterbalanceCell" AS cell, count(*)::int AS runs FROM "Run"
      WHERE "studyId" = ${run.studyId} AND NOT "isPilot" AND status IN ('started', 'active', 'completed')
      GROUP BY condition, "counterbalanceCell"`;
    const participantIndex = runCounter - 1;
    const seed = participantSeedFor(config.seed, participantIndex);
    const assigned = assignRun(config, tallies, seed, chosenCondition);
    const curriculum = generateCurriculum(
      assigned.config,
      seed,
      participantIndex,
      assigned.swapped,
    );
    return insertRun(tx, run, {
      participantIndex,
      seed,
      curriculum,
      config: assigned.config,
      condition: assigned.condition,
      counterbalanceCell: assigned.cell,
    });
  }, ASSIGNMENT_TRANSACTION);
}

/**
 * Insert a new run; its token, or null when another entry holds the external id already.
 * One INSERT with the curriculum and config passed as JSON text: Prisma's argument serialiser
 * walks a Json value key by key (≈ 9 ms of CPU for a 480-trial curriculum), which made entering a
 * study the most expensive request of a launch burst (docs/RELIABILITY.md).
 * Two tabs racing on the same external id: the unique index lets one win; the other resumes it.
 */
async function insertRun(
  db: Pick<Db, "$queryRaw">,
  run: NewRun,
  row: RunSnapshot & {
    participantIndex: number;
    seed: number;
    condition?: string | null;
    counterbalanceCell?: number;
  },
): Promise<string | null> {
  const { identity } = run;
  const { curriculum, config } = row;
  const now = new Date();
  const inserted = await db.$queryRaw<{ token: string }[]>`
    INSERT INTO "Run" (id, "studyId", token, "participantIndex", source, "externalId", "externalStudyId",
                       "externalSessionId", "isPilot", seed, curriculum, config, "codeVersion", "expectedTrials",
                       "userAgent", "startedAt", "lastSeenAt", condition, "counterbalanceCell")
    VALUES (${newRunId()}, ${run.studyId}, ${newToken()}, ${row.participantIndex}, ${identity.source}, ${identity.externalId ?? null},
            ${identity.externalStudyId ?? null}, ${identity.externalSessionId ?? null}, ${run.isPilot}, ${row.seed},
            ${JSON.stringify(curriculum)}::jsonb, ${JSON.stringify(config)}::jsonb, ${codeVersion()}, ${curriculum.trials.length},
            ${run.userAgent?.slice(0, 400) ?? null}, ${now}, ${now}, ${row.condition ?? null}, ${row.counterbalanceCell ?? null})
    ON CONFLICT ("studyId", "externalId") DO NOTHING
    RETURNING token`;
  if (inserted.length !== 1) return null;
  // the participant's next requests (curriculum, first trials) will need exactly this snapshot
  cacheSnapshot(inserted[0].token, { curriculum, config });
  return inserted[0].token;
}

/**
 * Back to an existing run: this browser's own run as it is; with the external id but without the
 * run cookie — another browser (a crash, a second laptop, or someone who learned the id) — the
 * run moves there under a new token. A finished run is not resumed: its page shows the outcome,
 * whose code only the server's /complete or /return answer holds.
 */
function rejoin(
  run: { id: string; token: string; status: string },
  resumeToken: string | undefined,
): Promise<EntryResult> | EntryResult {
  const finished = run.status === "completed" || run.status === "returned";
  if (resumeToken === run.token)
    return { kind: "run", token: run.token, resumed: true, ...(finished ? { finished } : {}) };
  return moveRun(run.id, run.token, finished);
}

/**
 * Give a run a new token (the old one stops working at once: every participant request looks the
 * run up by token) and record the move for the researcher; a moved run never shows its responses
 * (fetchRunProgress). An unfinished run is moved only while still unfinished, a finished one
 * only while finished (and keeps its last-seen time), so the answer never mixes the two.
 */
async function moveRun(runId: string, oldToken: string, finished: boolean): Promise<EntryResult> {
  const token = newToken();
  const now = new Date();
  const moved = await getDb().run.updateMany({
    where: {
      id: runId,
      status: finished ? { in: ["completed", "returned"] } : { notIn: ["completed", "returned"] },
    },
    data: {
      token,
      transfers: { increment: 1 },
      transferredAt: now,
      ...(finished ? {} : { lastSeenAt: now }),
    },
  });
  snapshotCache.delete(oldToken);
  if (moved.count === 0) return { kind: "refused", reason: "already-completed" };
  return { kind: "run", token, resumed: true, moved: true, ...(finished ? { finished } : {}) };
}

/** Primary key of a run row (the column's Prisma default is a cuid; any unique string works). */
function newRunId() {
  return `r${randomBytes(12).toString("base64url")}`;
}

const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,64}$/);

/** The run behind a participant token, or a 404. */
export async function fetchRunByToken(token: string) {
  if (!tokenSchema.safeParse(token).success) throw new HttpError(404, "Unknown run");
  const run = await getDb().run.findUnique({
    where: { token },
    include: { study: { select: { slug: true, title: true, status: true } } },
  });
  if (!run) throw new HttpError(404, "Unknown run");
  return run;
}

/** What the experiment page needs to start or resume. */
export async function fetchRunState(token: string) {
  const run = await fetchRunByToken(token);
  const curriculum = curriculumSchema.parse(run.curriculum);
  const config = studyConfigSchema.parse(run.config);
  const db = getDb();
  const saved = await db.trial.findMany({
    where: { runId: run.id, phase: "main" },
    select: { trialIndex: true },
    orderBy: { trialIndex: "asc" },
  });
  const practice = await db.trial.findMany({
    where: { runId: run.id, phase: "practice" },
    select: { trialIndex: true, correct: true },
  });
  // Resume at the first main trial that is not saved (trials are saved in order).
  let mainTrialsDone = 0;
  for (const t of saved) {
    if (t.trialIndex !== mainTrialsDone) break;
    mainTrialsDone++;
  }
  const status = computePracticeStatus(practice, curriculum.practice.length, config.practice);
  return {
    run,
    config,
    curriculum,
    resume: {
      mainTrialsDone,
      practiceDone: mainTrialsDone > 0 || status.practiceDone,
      practiceTrialsSaved: status.practiceTrialsSaved,
    },
  };
}

export const trialBatchSchema = z.object({
  trials: z
    .array(trialRecordSchema)
    .min(1, "Send at least one trial")
    .max(50, "At most 50 trials per request"),
});

export const MAX_TRIAL_BODY_BYTES = 64 * 1024;

function expectedTrial(
  curriculum: Curriculum,
  config: StudyConfig,
  rec: TrialRecord,
): CurriculumTrial {
  if (rec.phase === "main") {
    const t = curriculum.trials[rec.trialIndex];
    if (!t)
      throw new HttpError(
        422,
        `trialIndex ${rec.trialIndex} is out of range (the run has ${curriculum.trials.length} main trials)`,
      );
    return t;
  }
  const n = curriculum.practice.length;
  const max = n * config.practice.maxAttempts;
  if (n === 0 || rec.trialIndex >= max)
    throw new HttpError(
      422,
      `practice trialIndex ${rec.trialIndex} is out of range (${max} practice trials at most)`,
    );
  return curriculum.practice[rec.trialIndex % n];
}

/** Reject a record that does not match the curriculum trial at its index (422). */
function checkAgainstCurriculum(expected: CurriculumTrial, rec: TrialRecord) {
  const mismatch = curriculumMismatch(expected, rec);
  if (mismatch) throw new HttpError(422, `${rec.phase} trial ${rec.trialIndex}: ${mismatch}`);
  if ((rec.response === null) !== (rec.rtMs === null)) {
    throw new HttpError(
      422,
      `${rec.phase} trial ${rec.trialIndex}: rtMs must be null exactly when there is no response`,
    );
  }
}

/**
 * Store a batch of trials for a run. Idempotent by (run, phase, trialIndex): a retried or
 * duplicated trial is acknowledged and the stored row is left unchanged. All-or-nothing: one bad
 * record rejects the whole batch before anything is written.
 *
 * The hot path of a running study (docs/RELIABILITY.md): once a token's run id and curriculum are
 * cached in this process, a save is validated in memory and stored by ONE SQL statement that reads
 * the run's status, inserts the trials (ON CONFLICT DO NOTHING) unless the run is finished, and
 * refreshes the run's heartbeat at most every LAST_SEEN_RESOLUTION_MS — one round trip, no Prisma
 * query compilation. Errors are answered in the same order as before the cache: 404 unknown run,
 * 409 finished run, then 422 for the payload.
 */
export async function appendTrials(token: string, body: unknown) {
  if (!tokenSchema.safeParse(token).success) throw new HttpError(404, "Unknown run");
  const snapshot = cachedSnapshot(token) ?? (await loadRunSnapshot(token));
  let trials: TrialRecord[];
  try {
    trials = parseOr422(trialBatchSchema, body).trials;
    for (const rec of trials)
      checkAgainstCurriculum(expectedTrial(snapshot.curriculum, snapshot.config, rec), rec);
  } catch (err) {
    // a cached run may have finished or been deleted since: those answers take precedence over 422
    if (err instanceof HttpError && err.status === 422) await assertRunAcceptsTrials(token);
    throw err;
  }
  const rows = JSON.stringify(trials.map(({ output: _o, loss: _l, gates: _g, ...t }) => t));
  const now = new Date();
  const [result] = await getDb().$queryRaw<{ status: string | null; saved: number }[]>`
    WITH r AS (
      SELECT id, status FROM "Run" WHERE token = ${token}
    ), ins AS (
      INSERT INTO "Trial" ("runId", phase, "trialIndex", "blockIndex", "trialInBlock", task, stimulus,
                           "correctResponse", congruent, response, correct, "rtMs", "timeElapsedMs", "receivedAt")
      SELECT r.id, x.phase::"TrialPhase", x."trialIndex", x."blockIndex", x."trialInBlock", x.task, x.stimulus,
             x."correctResponse", x.congruent, x.response, x.correct, x."rtMs", x."timeElapsedMs", ${now}
      FROM r, jsonb_to_recordset(${rows}::jsonb) AS x(phase text, "trialIndex" int, "blockIndex" int,
           "trialInBlock" int, task text, stimulus text, "correctResponse" text, congruent boolean,
           response text, correct boolean, "rtMs" double precision, "timeElapsedMs" double precision)
      WHERE r.status NOT IN ('completed', 'returned')
      ON CONFLICT DO NOTHING
      RETURNING 1
    ), heartbeat AS (
      UPDATE "Run" SET status = 'active', "lastSeenAt" = ${now}
      WHERE id = (SELECT id FROM r) AND status NOT IN ('completed', 'returned')
        AND (status <> 'active' OR "lastSeenAt" < ${new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS)})
      RETURNING 1
    )
    SELECT (SELECT status::text FROM r) AS status, (SELECT count(*)::int FROM ins) AS saved`;
  if (!result || result.status === null) {
    snapshotCache.delete(token);
    throw new HttpError(404, "Unknown run");
  }
  // An "abandoned" run (silent too long) that comes back is revived: data is never refused for lateness.
  refuseIfFinished(result.status);
  const saved = Number(result.saved);
  return { saved, duplicates: trials.length - saved };
}

/** 409 for a run that takes no more trials (completed or returned; an abandoned run is revived). */
function refuseIfFinished(status: string) {
  if (status === "completed" || status === "returned")
    throw new HttpError(409, `This run is ${status}; no more trials are accepted`);
}

/** 404 for an unknown run, 409 for a finished one; otherwise returns. */
async function assertRunAcceptsTrials(token: string) {
  const run = await getDb().run.findUnique({ where: { token }, select: { status: true } });
  if (!run) {
    snapshotCache.delete(token);
    throw new HttpError(404, "Unknown run");
  }
  refuseIfFinished(run.status);
}

/** How stale Run.lastSeenAt may get while trials keep arriving (heartbeats also refresh it). */
const LAST_SEEN_RESOLUTION_MS = 15_000;

type RunSnapshot = { curriculum: Curriculum; config: StudyConfig };
/** token → parsed curriculum/config; least-recently-used entries dropped beyond the size. */
const snapshotCache = new Map<string, RunSnapshot>();
const SNAPSHOT_CACHE_SIZE = 2000;

function cachedSnapshot(token: string): RunSnapshot | undefined {
  const hit = snapshotCache.get(token);
  if (hit) {
    snapshotCache.delete(token); // re-insert: most recently used last
    snapshotCache.set(token, hit);
  }
  return hit;
}

/**
 * A run's curriculum and config as parsed objects. The token, curriculum and config are
 * written once when the run is created and never updated, so caching them per process cannot
 * disagree with the database or with another app instance (a deleted run is noticed by the insert
 * statement and evicted). 404 for an unknown token, 409 for a finished run.
 */
async function loadRunSnapshot(token: string): Promise<RunSnapshot> {
  const row = await getDb().run.findUnique({
    where: { token },
    select: { status: true, curriculum: true, config: true },
  });
  if (!row) throw new HttpError(404, "Unknown run");
  refuseIfFinished(row.status);
  return snapshotOf(token, row);
}

/** The cached snapshot of a run, or parse it from a row already read (and cache it). */
function snapshotOf(token: string, row: { curriculum: unknown; config: unknown }): RunSnapshot {
  return (
    cachedSnapshot(token) ??
    cacheSnapshot(token, {
      curriculum: curriculumSchema.parse(row.curriculum),
      config: studyConfigSchema.parse(row.config),
    })
  );
}

function cacheSnapshot(token: string, snapshot: RunSnapshot): RunSnapshot {
  snapshotCache.set(token, snapshot);
  if (snapshotCache.size > SNAPSHOT_CACHE_SIZE)
    snapshotCache.delete(snapshotCache.keys().next().value!);
  return snapshot;
}

export async function heartbeat(token: string) {
  if (!tokenSchema.safeParse(token).success) throw new HttpError(404, "Unknown run");
  const run = await getDb().run.findUnique({
    where: { token },
    select: { id: true, status: true },
  });
  if (!run) throw new HttpError(404, "Unknown run");
  if (run.status === "completed" || run.status === "returned") return { status: run.status };
  await getDb().run.update({
    where: { id: run.id },
    data: { lastSeenAt: new Date(), status: "active" },
  });
  return { status: "active" as const };
}

/**
 * Finish a run once every main trial is stored (409 otherwise, with how many are missing), judge
 * its timing against the design (lib/core/plausibility.ts; stored as Run.timingFlags for the
 * researcher, the data are kept either way) and answer with what the participant's outcome earns.
 * Idempotent: completing a completed run returns the same answer.
 */
export async function completeRun(token: string): Promise<RunCompletion> {
  const run = await fetchRunByToken(token);
  const config = studyConfigSchema.parse(run.config);
  const db = getDb();
  const main = await db.trial.findMany({
    where: { runId: run.id, phase: "main" },
    select: { rtMs: true },
  });
  if (main.length < run.expectedTrials) {
    throw new HttpError(
      409,
      `Not all trials are saved yet (${run.expectedTrials - main.length} missing)`,
      { missing: run.expectedTrials - main.length },
    );
  }
  if (run.status === "returned") throw new HttpError(409, "This run was returned");
  if (run.status !== "completed") {
    const completedAt = new Date();
    const flags = timingFlags(
      config,
      { mainTrials: run.expectedTrials, startedAt: run.startedAt, completedAt },
      main.map((t) => t.rtMs),
    );
    const done = await db.run.updateMany({
      where: { id: run.id, status: { notIn: ["completed", "returned"] } },
      data: { status: "completed", completedAt, lastSeenAt: completedAt, timingFlags: flags },
    });
    if (done.count === 1) await enqueueModelStreams(run.id, config);
  }
  return outcomeAnswer(config, "completed");
}

/**
 * What a participant's outcome earns on the recruiter's side (lib/core/outcomes.ts outcomeReward).
 * completeRun and returnRun are the only places codes and redirects leave the server (the page
 * and the config sent to the browser never hold them, see participantConfig), each only for the
 * outcome the run really has.
 */
function outcomeAnswer(config: StudyConfig, outcome: RunOutcome): RunCompletion {
  return { outcome, ...outcomeReward(config.recruitment, outcome) };
}

/** The study config as the participant's browser gets it: without the recruitment section. */
export function participantConfig(config: StudyConfig): StudyConfig {
  return { ...config, recruitment: recruitmentSchema.parse({}) };
}

/**
 * End a run early with a reason (lib/core/outcomes.ts), stored as Run.statusReason, and answer
 * with that outcome's code and redirect. The server checks that the reason fits the run: consent
 * declined and screened out only before any trial was saved (both come before the task), a failed
 * practice only when the saved practice trials show every attempt used below the criterion of a
 * study that ends there; no reason = "withdrawn" (no code). Idempotent: a returned run answers
 * with its stored reason; a completed run is never returned (409).
 */
export async function returnRun(token: string, body: unknown): Promise<RunCompletion> {
  const run = await fetchRunByToken(token);
  const { reason = "withdrawn" } = parseOr422(returnRequestSchema, body);
  const config = studyConfigSchema.parse(run.config);
  if (run.status === "completed") throw new HttpError(409, "This run is completed");
  if (run.status === "returned") return outcomeAnswer(config, returnReasonOf(run.statusReason));
  const db = getDb();
  if (reason === "consent-declined" || reason === "screened-out") {
    if ((await db.trial.count({ where: { runId: run.id } })) > 0)
      throw new HttpError(409, "This run already has saved trials; it did not end before the task");
  }
  if (reason === "practice-failed") {
    const practice = await db.trial.findMany({
      where: { runId: run.id, phase: "practice" },
      select: { trialIndex: true, correct: true },
    });
    const n = curriculumSchema.parse(run.curriculum).practice.length;
    const status = computePracticeStatus(practice, n, config.practice);
    // an attempt cut short by a reload counts as used, as in the timeline (lib/experiment/timeline.ts)
    const failed =
      n > 0 &&
      config.practice.onFail === "end" &&
      !status.practiceDone &&
      Math.ceil(status.practiceTrialsSaved / n) >= config.practice.maxAttempts;
    if (!failed)
      throw new HttpError(409, "The saved practice trials do not show a failed practice");
  }
  const done = await db.run.updateMany({
    where: { id: run.id, status: { notIn: ["completed", "returned"] } },
    data: { status: "returned", statusReason: reason, lastSeenAt: new Date() },
  });
  if (done.count === 0) return returnRun(token, body); // finished meanwhile: answer what it is now
  return outcomeAnswer(config, reason);
}

/** Runs silent for longer than `idleMs` become abandoned (lib/server/housekeeping.ts). */
export async function markAbandonedRuns(idleMs: number, now = new Date()) {
  const r = await getDb().run.updateMany({
    where: {
      status: { in: ["started", "active"] },
      lastSeenAt: { lt: new Date(now.getTime() - idleMs) },
    },
    data: { status: "abandoned" },
  });
  return r.count;
}

/** A participant's view of their own run: status, stored trial indices per phase, optionally the curriculum and the stored trials. */
export async function fetchRunProgress(
  token: string,
  opts: { includeCurriculum?: boolean; includeTrials?: boolean; includeModel?: boolean } = {},
) {
  const run = await fetchRunByToken(token);
  const rows = await getDb().trial.findMany({
    where: { runId: run.id },
    orderBy: [{ phase: "asc" }, { trialIndex: "asc" }],
  });
  return {
    status: run.status,
    expectedTrials: run.expectedTrials,
    savedMain: rows.filter((r) => r.phase === "main").map((r) => r.trialIndex),
    savedPractice: rows.filter((r) => r.phase === "practice").map((r) => r.trialIndex),
    ...(opts.includeCurriculum ? { curriculum: snapshotOf(token, run).curriculum } : {}),
    // A run that was moved by its external id (createOrResumeRun) never shows its responses: the
    // id is not a secret, so the new browser learns only which trials are stored.
    ...(opts.includeTrials && run.transfers === 0
      ? { trials: rows.map(({ runId: _runId, receivedAt: _receivedAt, ...t }) => t) }
      : {}),
    ...(opts.includeModel
      ? {
          modelStreams: (
            await getDb().modelRun.findMany({
              where: { runId: run.id },
              select: {
                preset: true,
                source: true,
                status: true,
                seed: true,
                _count: { select: { trials: true } },
              },
              orderBy: [{ source: "asc" }, { preset: "asc" }],
            })
          ).map(({ _count, ...m }) => ({ ...m, trials: _count.trials })),
        }
      : {}),
  };
}
