// The job worker: claims queued Job rows with FOR UPDATE SKIP LOCKED (so several app instances or
// `npm run jobs:work` processes on one PostgreSQL never run the same job), runs the handler for
// the job's kind — the handler does its database I/O here and its CPU work in the compute pool's
// worker threads (job-pool.ts) — and writes progress, result or error back to the row.
// - Timeouts: a job running longer than its kind's limit is aborted (its compute thread ends).
// - Retries with backoff: a failed attempt is queued again after 10 s, then 40 s; after
//   MAX_ATTEMPTS it fails for good with the message.
// - A worker that died mid-job (killed server) leaves a lock that stops being refreshed; once it
//   is STALE_LOCK_MS old another worker picks the job up again. A worker that is stopped
//   (SIGTERM) puts its running jobs back in the queue, the attempt not counted.
// - Retention: finished jobs older than NTA_JOB_RETENTION_DAYS are deleted.
import "server-only";

import { randomBytes } from "node:crypto";

import { getDb } from "./db";
import { readJobEnv } from "./env";
import type { Job } from "./generated/prisma/client";
import { computeThreads } from "./job-pool";

export type JobContext = {
  /** Report progress in [0, 1]; also refreshes the job's lock. */
  progress(fraction: number, message?: string): Promise<void>;
  /** Aborted when the job times out or its worker stops: pass it to runOffThread. */
  signal: AbortSignal;
};
export type JobHandler = (job: Job, ctx: JobContext) => Promise<unknown>;

export const MAX_ATTEMPTS = 3;
/** A running job whose lock is older than this is stale (its worker is gone). */
export const STALE_LOCK_MS = 60_000;
/** A running job's lock is refreshed this often, progress or not. */
const HEARTBEAT_MS = STALE_LOCK_MS / 4;
/** Time limit of a job whose kind names none. */
export const DEFAULT_JOB_TIMEOUT_MS = 30 * 60_000;
/** Wait before attempt n + 1 after attempt n failed: 10 s, 40 s, … */
export const backoffMs = (attempts: number) => 10_000 * 4 ** Math.max(0, attempts - 1);
/** How often a worker deletes old finished jobs. */
const RETENTION_SWEEP_MS = 60 * 60_000;

export type RunOptions = {
  workerId?: string;
  /** Time limit per job kind (ms); DEFAULT_JOB_TIMEOUT_MS otherwise. */
  timeouts?: Record<string, number>;
  /** Aborts the job when the worker stops; the job goes back to the queue. */
  stopSignal?: AbortSignal;
  now?: () => Date;
  /** Called once a job was claimed, before it runs. */
  onClaimed?: (job: Job) => void;
};

class JobTimeout extends Error {}

/**
 * Claim the oldest runnable job for `workerId`, or null. Atomic across processes. Predictions
 * (made before any data, lib/server/predictions.ts) wait while participants' jobs are queued.
 */
export async function claimNextJob(
  workerId: string,
  kinds: string[],
  now = new Date(),
): Promise<Job | null> {
  if (kinds.length === 0) return null;
  const staleBefore = new Date(now.getTime() - STALE_LOCK_MS);
  const rows = await getDb().$queryRaw<Job[]>`
    UPDATE "Job" SET "status" = 'running', "lockedBy" = ${workerId}, "lockedAt" = ${now},
                     "attempts" = "attempts" + 1, "updatedAt" = ${now}
    WHERE "id" = (
      SELECT "id" FROM "Job"
      WHERE "kind" = ANY(${kinds}::text[])
        AND (("status" = 'queued' AND "runAfter" <= ${now})
             OR ("status" = 'running' AND "lockedAt" < ${staleBefore}))
      ORDER BY ("kind" = 'prediction'), "createdAt", "id"
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING *`;
  return rows[0] ?? null;
}

/**
 * Run one job if there is one. Returns false when the queue had nothing for these handlers.
 * A handler error (or timeout) requeues the job with backoff until MAX_ATTEMPTS, then marks it
 * failed with the message.
 */
export async function runNextJob(
  handlers: Record<string, JobHandler>,
  opts: RunOptions = {},
): Promise<boolean> {
  const db = getDb();
  const workerId = opts.workerId ?? newWorkerId();
  const now = opts.now ?? (() => new Date());
  const job = await claimNextJob(workerId, Object.keys(handlers), now());
  if (!job) return false;
  opts.onClaimed?.(job);
  const mine = { id: job.id, lockedBy: workerId };
  const timeoutMs = opts.timeouts?.[job.kind] ?? DEFAULT_JOB_TIMEOUT_MS;
  const abort = new AbortController();
  const onStop = () => abort.abort(opts.stopSignal?.reason ?? new Error("worker stopped"));
  opts.stopSignal?.addEventListener("abort", onStop);
  const timer = setTimeout(
    () => abort.abort(new JobTimeout(`timed out after ${Math.round(timeoutMs / 1000)} s`)),
    timeoutMs,
  );
  const heartbeat = setInterval(() => {
    db.job.updateMany({ where: mine, data: { lockedAt: new Date() } }).catch(() => undefined);
  }, HEARTBEAT_MS);
  const ctx: JobContext = {
    signal: abort.signal,
    async progress(fraction, message) {
      await db.job.updateMany({
        where: mine,
        data: {
          progress: Math.max(0, Math.min(1, fraction)),
          message: message ?? undefined,
          lockedAt: new Date(),
        },
      });
    },
  };
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(abort.signal.reason);
    if (abort.signal.aborted) fail();
    else abort.signal.addEventListener("abort", fail);
  });
  try {
    if (opts.stopSignal?.aborted) onStop();
    const result = await Promise.race([handlers[job.kind](job, ctx), aborted]);
    await db.job.updateMany({
      where: mine,
      data: {
        status: "done",
        progress: 1,
        result: (result ?? null) as never,
        error: null,
        lockedBy: null,
        lockedAt: null,
      },
    });
  } catch (err) {
    const stopped = opts.stopSignal?.aborted && !(abort.signal.reason instanceof JobTimeout);
    const reason = abort.signal.aborted ? abort.signal.reason : err;
    const message = reason instanceof Error ? reason.message : String(reason);
    const final = !stopped && job.attempts >= MAX_ATTEMPTS;
    await db.job.updateMany({
      where: mine,
      data: stopped
        ? // back to the queue as it was: this attempt does not count
          { status: "queued", attempts: { decrement: 1 }, lockedBy: null, lockedAt: null }
        : {
            status: final ? "failed" : "queued",
            error: message.slice(0, 2000),
            runAfter: new Date(now().getTime() + backoffMs(job.attempts)),
            lockedBy: null,
            lockedAt: null,
          },
    });
    if (final)
      console.error(
        `[jobs] ${job.kind} ${job.id} failed after ${job.attempts} attempts: ${message}`,
      );
  } finally {
    clearTimeout(timer);
    clearInterval(heartbeat);
    opts.stopSignal?.removeEventListener("abort", onStop);
  }
  return true;
}

/** Delete finished (done or failed) jobs last updated more than `days` days ago; returns the count. */
export async function deleteOldJobs(days: number, now = new Date()): Promise<number> {
  if (days <= 0) return 0;
  const { count } = await getDb().job.deleteMany({
    where: {
      status: { in: ["done", "failed"] },
      updatedAt: { lt: new Date(now.getTime() - days * 86_400_000) },
    },
  });
  return count;
}

export function newWorkerId() {
  return `${process.pid}-${randomBytes(4).toString("hex")}`;
}

export type JobWorker = {
  workerId: string;
  /** Stop claiming, abort the jobs in flight (they go back to the queue) and wait for them. */
  stop(): Promise<void>;
};

/**
 * Poll for jobs until stopped, running up to `concurrency` at once (default: the compute pool's
 * threads). The jobs' CPU work runs in worker threads, so an app server hosting the worker keeps
 * answering requests.
 */
export function startJobWorker(
  handlers: Record<string, JobHandler>,
  opts: { intervalMs?: number; concurrency?: number; timeouts?: Record<string, number> } = {},
): JobWorker {
  const workerId = newWorkerId();
  const intervalMs = opts.intervalMs ?? 1000;
  const concurrency = opts.concurrency ?? computeThreads();
  const { retentionDays } = readJobEnv();
  const stopper = new AbortController();
  const running = new Set<Promise<unknown>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSweep = 0;
  let polling = false;

  const poll = async () => {
    if (stopper.signal.aborted || polling) return;
    polling = true;
    try {
      if (Date.now() - lastSweep > RETENTION_SWEEP_MS) {
        lastSweep = Date.now();
        await deleteOldJobs(retentionDays);
      }
      while (!stopper.signal.aborted && running.size < concurrency) {
        let claimed!: (value: boolean) => void;
        const gotOne = new Promise<boolean>((resolve) => (claimed = resolve));
        // runNextJob resolves when its job has finished; `gotOne` as soon as a claim was made
        const task = runNextJob(handlers, {
          workerId,
          timeouts: opts.timeouts,
          stopSignal: stopper.signal,
          onClaimed: () => claimed(true),
        })
          .then((ran) => {
            claimed(ran);
            return ran;
          })
          .catch((err) => {
            console.error("[jobs] worker error", err);
            claimed(false);
            return false;
          })
          .then((ran) => {
            running.delete(task);
            // A finished job frees a slot: look for the next one now. An empty claim must not
            // (that was a busy loop: an idle server read the queue ~200 times a second); the
            // poll then waits `intervalMs`.
            if (ran) schedule(0);
          });
        running.add(task);
        if (!(await gotOne)) break;
      }
    } catch (err) {
      console.error("[jobs] worker loop error", err);
    } finally {
      polling = false;
    }
    schedule(intervalMs);
  };
  const schedule = (ms: number) => {
    if (stopper.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => void poll(), ms);
  };
  schedule(0);
  return {
    workerId,
    async stop() {
      stopper.abort(new Error("worker stopped"));
      clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
