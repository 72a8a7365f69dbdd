// Periodic database housekeeping, off the request path: runs silent for longer than
// ABANDON_AFTER_MS are stored as abandoned. Every app instance (instrumentation.ts) and the
// standalone job worker run it once a minute; the UPDATE is idempotent, so instances may overlap.
// (Expired rate-limit counters are swept by the rate-limit path itself, lib/server/rate-limit.ts.)
import "server-only";

import { ABANDON_AFTER_MS } from "./monitor";
import { markAbandonedRuns } from "./runs";

export const HOUSEKEEPING_EVERY_MS = 60_000;

/** One housekeeping pass; returns how many runs became abandoned. */
export async function runHousekeeping(now = new Date()) {
  return { abandoned: await markAbandonedRuns(ABANDON_AFTER_MS, now) };
}

/** Run housekeeping now and then every `intervalMs` until stopped; never keeps the process alive. */
export function startHousekeeping(intervalMs = HOUSEKEEPING_EVERY_MS) {
  const pass = () =>
    runHousekeeping().catch((err: unknown) => console.error("[housekeeping] failed", err));
  void pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
