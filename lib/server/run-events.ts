// Store a participant page's interaction events (lib/core/run-events.ts) with its run.
// Idempotent by (run, page load, seq); at most MAX_EVENTS_PER_RUN per run; nothing for a finished run.
import "server-only";

import { MAX_EVENTS_PER_RUN, runEventBatchSchema, summarizeRunEvents } from "@/lib/core/run-events";

import { getDb } from "./db";
import { HttpError, parseOr422 } from "./http";
import { fetchRunByToken } from "./runs";

export const MAX_EVENT_BODY_BYTES = 16 * 1024;

export async function appendRunEvents(token: string, body: unknown) {
  const run = await fetchRunByToken(token);
  const { events } = parseOr422(runEventBatchSchema, body);
  if (run.status === "completed" || run.status === "returned")
    throw new HttpError(409, `This run is ${run.status}; no more events are accepted`);
  const db = getDb();
  const room = MAX_EVENTS_PER_RUN - (await db.runEvent.count({ where: { runId: run.id } }));
  const accepted = events.slice(0, Math.max(0, room));
  const { count } = accepted.length
    ? await db.runEvent.createMany({
        data: accepted.map((e) => ({ ...e, runId: run.id })),
        skipDuplicates: true,
      })
    : { count: 0 };
  return { saved: count, dropped: events.length - accepted.length };
}

/** A run's events in order, with counts (the researcher's participant page). */
export async function fetchRunEvents(runId: string) {
  const events = await getDb().runEvent.findMany({
    where: { runId },
    orderBy: [{ receivedAt: "asc" }, { pageId: "asc" }, { seq: "asc" }],
    select: {
      type: true,
      timeMs: true,
      phase: true,
      trialIndex: true,
      width: true,
      height: true,
      pageId: true,
    },
  });
  return { events, summary: summarizeRunEvents(events) };
}
