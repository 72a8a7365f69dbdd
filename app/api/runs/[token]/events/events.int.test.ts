// Interaction events (full screen, focus, resize) stored with their run: validated, idempotent,
// capped, refused for a finished run, nothing stored on bad input.
import { POST as eventsPOST } from "@/app/api/runs/[token]/events/route";
import { MAX_EVENTS_PER_RUN } from "@/lib/core/run-events";
import { getDb } from "@/lib/server/db";
import { fetchRunEvents } from "@/lib/server/run-events";
import { createOrResumeRun } from "@/lib/server/runs";
import { makeTestStudy } from "@/lib/server/testing/study-fixtures";

async function newRun(slug: string) {
  await makeTestStudy(slug);
  const r = await createOrResumeRun(slug, {});
  if (r.kind !== "run") throw new Error(r.reason);
  return r.token;
}

const event = (seq: number, type = "fullscreenexit", extra: Record<string, unknown> = {}) => ({
  pageId: "page-abcdef12",
  seq,
  type,
  timeMs: 1000 + seq,
  phase: "main",
  trialIndex: 3,
  width: null,
  height: null,
  ...extra,
});

function post(token: string, body: unknown, raw?: string) {
  return eventsPOST(
    new Request(`http://test/api/runs/${token}/events`, {
      method: "POST",
      body: raw ?? JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
    { params: Promise.resolve({ token }) },
  );
}

const stored = (token: string) => getDb().runEvent.count({ where: { run: { token } } });

describe("POST /api/runs/<token>/events", () => {
  it("stores events with the run, idempotently, and summarises them", async () => {
    const token = await newRun("events-1");
    const batch = {
      events: [
        event(0, "blur", { phase: null, trialIndex: null }),
        event(1, "focus", { phase: null, trialIndex: null }),
        event(2),
        event(3, "resize", { width: 800, height: 600 }),
      ],
    };
    const r = await post(token, batch);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ saved: 4, dropped: 0 });
    expect(await (await post(token, batch)).json()).toEqual({ saved: 0, dropped: 0 }); // a retry
    const run = await getDb().run.findUniqueOrThrow({ where: { token } });
    const { events, summary } = await fetchRunEvents(run.id);
    expect(events).toHaveLength(4);
    expect(summary).toEqual({ fullscreenExits: 1, tabSwitches: 1, resizes: 1 });
    expect(events.find((e) => e.type === "resize")).toMatchObject({ width: 800, height: 600 });
  });

  it("refuses bad input with a 4xx and stores nothing", async () => {
    const token = await newRun("events-2");
    const cases: [unknown, number, string?][] = [
      [{ events: [] }, 422],
      [{ events: [event(0, "copy")] }, 422],
      [{ events: [event(-1)] }, 422],
      [{ events: [event(0, "blur", { phase: "main", trialIndex: null })] }, 422],
      [{ events: [{ ...event(0), extra: 1 }] }, 422],
      [{ events: [event(0, "blur", { pageId: "<script>" })] }, 422],
      [{ events: Array.from({ length: 51 }, (_, i) => event(i)) }, 422],
      [null, 400, "{not json"],
      [null, 413, JSON.stringify({ events: [event(0)], pad: "x".repeat(20_000) })],
    ];
    for (const [body, status, raw] of cases)
      expect((await post(token, body, raw)).status).toBe(status);
    expect(await stored(token)).toBe(0);
    expect((await post("A".repeat(32), { events: [event(0)] })).status).toBe(404);
  });

  it("keeps at most MAX_EVENTS_PER_RUN per run and refuses events for a finished run", async () => {
    const token = await newRun("events-3");
    for (let s = 0; s < MAX_EVENTS_PER_RUN; s += 50)
      await post(token, { events: Array.from({ length: 50 }, (_, i) => event(s + i, "resize")) });
    expect(await stored(token)).toBe(MAX_EVENTS_PER_RUN);
    const over = await post(token, { events: [event(MAX_EVENTS_PER_RUN)] });
    expect(await over.json()).toEqual({ saved: 0, dropped: 1 });
    expect(await stored(token)).toBe(MAX_EVENTS_PER_RUN);

    const done = await newRun("events-4");
    await getDb().run.update({ where: { token: done }, data: { status: "returned" } });
    expect((await post(done, { events: [event(0)] })).status).toBe(409);
    expect(await stored(done)).toBe(0);
  });
});
