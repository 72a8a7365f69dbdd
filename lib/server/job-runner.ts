// The job worker: claims queued Job rows one at a time with FOR UPDATE SKIP LOCKED (so several
// app instances on one PostgreSQL never run the same job), runs the handler for the job's kind,
// and writes progress, result or error back to the row. A job whose worker died (server killed
// mid-job) is picked up again once its lock is stale; after MAX_ATTEMPTS it fails for good.
import "server-only";

import { randomBytes } from "node:crypto";

import { getDb } from "./db";
import type { Job } from "./generated/prisma/client";

export type JobContext = {
  /** Report progress in [0, 1]; also refreshes the job's lock. */
  progress(fraction: number, message?: string): Promise<void>;
};
export type JobHandler = (job: Job, ctx: JobContext) => Promise<unknown>;

export const MAX_ATTEMPTS = 3;
/** A running job whose lock (refreshed on every progress report) is older than this is stale. */
export const STALE_LOCK_MS = 60_000;

/** Claim the oldest runnable job for `workerId`, or null. Atomic across processes. */
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
        AND ("status" = 'queued' OR ("status" = 'running' AND "lockedAt" < ${staleBefore}))
      ORDER BY "createdAt", "id"
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING *`;
  return rows[0] ?? null;
}

/**
 * Run one job if there is one. Returns false when the queue had nothing for these handlers.
 * A handler error requeues the job until MAX_ATTEMPTS, then marks it failed with the message.
 */
export async function runNextJob(
  handlers: Record<string, JobHandler>,
  workerId = newWorkerId(),
): Promise<boolean> {
  const db = getDb();
  const job = await claimNextJob(workerId, Object.keys(handlers));
  if (!job) return false;
  const ctx: JobContext = {
    async progress(fraction, message) {
      await db.job.updateMany({
        where: { id: job.id, lockedBy: workerId },
        data: {
          progress: Math.max(0, Math.min(1, fraction)),
          message: message ?? undefined,
          lockedAt: new Date(),
        },
      });
    },
  };
  try {
    const result = await handlers[job.kind](job, ctx);
    await db.job.updateMany({
      where: { id: job.id, lockedBy: workerId },
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
    const message = err instanceof Error ? err.message : String(err);
    const final = job.attempts >= MAX_ATTEMPTS;
    await db.job.updateMany({
      where: { id: job.id, lockedBy: workerId },
      data: {
        status: final ? "failed" : "queued",
        error: message.slice(0, 2000),
        lockedBy: null,
        lockedAt: null,
      },
    });
    if (final)
      console.error(
        `[jobs] ${job.kind} ${job.id} failed after ${job.attempts} attempts: ${message}`,
      );
  }
  return true;
}

export function newWorkerId() {
  return `${process.pid}-${randomBytes(4).toString("hex")}`;
}

/**
 * Poll for jobs until stopped. Between jobs it yields to the event loop, so an app server
 * hosting the worker keeps answering requests.
 */
export function startJobWorker(
  handlers: Record<string, JobHandler>,
  opts: { intervalMs?: number } = {},
) {
  const workerId = newWorkerId();
  const intervalMs = opts.intervalMs ?? 1000;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = async () => {
    if (stopped) return;
    try {
      while (!stopped && (await runNextJob(handlers, workerId)))
        await new Promise((r) => setImmediate(r));
    } catch (err) {
      console.error("[jobs] worker loop error", err);
    }
    if (!stopped) timer = setTimeout(loop, intervalMs);
  };
  timer = setTimeout(loop, 0);
  return {
    workerId,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
