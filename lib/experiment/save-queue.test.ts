import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { TrialRecordInput } from "@/lib/core/trial-record";

import {
  createSaveQueue,
  saveQueueStorageKey,
  type FetchLike,
  type StorageLike,
} from "./save-queue";

const record = (trialIndex: number, phase: "main" | "practice" = "main"): TrialRecordInput => ({
  phase,
  trialIndex,
  blockIndex: 0,
  trialInBlock: trialIndex,
  task: "parity",
  stimulus: "3",
  correctResponse: "f",
  congruent: true,
  response: "f",
  correct: true,
  rtMs: 512.3,
});

function memoryStorage(): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

/** An idempotent fake server: mode "up", "down" (network error) or "error" (503). */
function fakeServer() {
  const saved = new Map<string, TrialRecordInput>();
  const requests: TrialRecordInput[][] = [];
  const state = { mode: "up" as "up" | "down" | "error", refuse: new Set<number>(), duplicates: 0 };
  const fetch: FetchLike = async (_url, init) => {
    const trials = (JSON.parse(init.body) as { trials: TrialRecordInput[] }).trials;
    requests.push(trials);
    if (state.mode === "down") throw new TypeError("Failed to fetch");
    const reply = (status: number, body: unknown) => ({
      ok: status < 300,
      status,
      text: async () => JSON.stringify(body),
    });
    if (state.mode === "error") return reply(503, { error: "unavailable" });
    if (trials.some((t) => state.refuse.has(t.trialIndex)))
      return reply(422, { error: "trialIndex invalid" });
    for (const t of trials) {
      const k = `${t.phase}:${t.trialIndex}`;
      if (saved.has(k)) state.duplicates++;
      else saved.set(k, t);
    }
    return reply(200, { saved: trials.length, duplicates: 0 });
  };
  return { saved, requests, state, fetch };
}

/** Let fetches settle and backoff timers fire until the queue is empty (fake timers). */
async function drain(q: { pending(): number }, maxMs = 60_000) {
  for (let t = 0; t < maxMs && q.pending() > 0; t += 250) await vi.advanceTimersByTimeAsync(250);
  await vi.advanceTimersByTimeAsync(0);
}

describe("createSaveQueue", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("persists each record before sending and removes it from storage only after a 200", async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    server.state.mode = "down";
    const q = createSaveQueue({
      token: "tok",
      storage,
      fetch: server.fetch,
      sendBeacon: null,
      flushEvery: 1,
    });
    q.enqueue(record(0));
    expect(JSON.parse(storage.map.get(saveQueueStorageKey("tok"))!)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(q.pending()).toBe(1);
    expect(q.status().online).toBe(false);
    server.state.mode = "up";
    await vi.advanceTimersByTimeAsync(600);
    expect(q.pending()).toBe(0);
    expect(storage.map.has(saveQueueStorageKey("tok"))).toBe(false);
    expect([...server.saved.keys()]).toEqual(["main:0"]);
  });

  it("sends in order, in batches of at most batchSize", async () => {
    const server = fakeServer();
    const q = createSaveQueue({
      token: "t",
      storage: memoryStorage(),
      fetch: server.fetch,
      batchSize: 3,
    });
    server.state.mode = "down";
    for (let i = 0; i < 8; i++) q.enqueue(record(i));
    await vi.advanceTimersByTimeAsync(0);
    server.state.mode = "up";
    q.retryNow();
    await drain(q);
    const sent = server.requests
      .filter((_, i) => i > 0)
      .flat()
      .map((t) => t.trialIndex);
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(server.requests.every((b) => b.length <= 3)).toBe(true);
  });

  it("retries network errors and 5xx with exponential backoff capped at maxDelayMs", async () => {
    const server = fakeServer();
    server.state.mode = "error";
    const q = createSaveQueue({
      token: "t",
      storage: null,
      fetch: server.fetch,
      baseDelayMs: 500,
      maxDelayMs: 4000,
      flushEvery: 1,
    });
    q.enqueue(record(0));
    const attemptsAt: number[] = [];
    for (let t = 0; t <= 20_000; t += 100) {
      const before = server.requests.length;
      await vi.advanceTimersByTimeAsync(100);
      if (server.requests.length > before) attemptsAt.push(t + 100);
    }
    const gaps = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]);
    expect(gaps.slice(0, 5)).toEqual([1000, 2000, 4000, 4000, 4000]);
    expect(q.status().failures).toBeGreaterThan(4);
    expect(q.status().lastError).toMatch(/503/);
    server.state.mode = "up";
    await vi.advanceTimersByTimeAsync(4000);
    expect(q.pending()).toBe(0);
    expect(q.status()).toMatchObject({ online: true, failures: 0, lastError: null });
  });

  it("survives a reload: a new queue on the same storage sends what the old one had not", async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    server.state.mode = "down";
    const first = createSaveQueue({ token: "abc", storage, fetch: server.fetch });
    for (let i = 0; i < 5; i++) first.enqueue(record(i));
    first.dispose(); // page closed while offline
    server.state.mode = "up";
    const second = createSaveQueue({ token: "abc", storage, fetch: server.fetch });
    expect(second.pending()).toBe(5);
    await drain(second);
    expect([...server.saved.keys()]).toEqual(["main:0", "main:1", "main:2", "main:3", "main:4"]);
    // Another run's storage is separate.
    expect(createSaveQueue({ token: "other", storage, fetch: server.fetch }).pending()).toBe(0);
  });

  it("loses nothing when a beacon already delivered records that are then resent (server duplicates)", async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const beacons: Promise<string>[] = [];
    server.state.mode = "down";
    const q = createSaveQueue({
      token: "t",
      storage,
      fetch: server.fetch,
      batchSize: 2,
      sendBeacon: (_url, data) => {
        beacons.push(typeof data === "string" ? Promise.resolve(data) : data.text());
        return true;
      },
    });
    for (let i = 0; i < 3; i++) q.enqueue(record(i));
    q.enqueue(record(1)); // a repeated enqueue of the same trial is not queued twice
    expect(q.pending()).toBe(3);
    expect(q.flushWithBeacon()).toBe(true);
    const bodies = await Promise.all(beacons);
    expect(bodies.map((b) => JSON.parse(b).trials.length)).toEqual([2, 1]);
    // the beacon reached the server; the reloaded page resends and gets duplicates back
    for (const b of bodies)
      for (const t of JSON.parse(b).trials) server.saved.set(`${t.phase}:${t.trialIndex}`, t);
    server.state.mode = "up";
    const reloaded = createSaveQueue({ token: "t", storage, fetch: server.fetch });
    await drain(reloaded);
    expect(server.state.duplicates).toBe(3);
    expect(server.saved.size).toBe(3);
    expect(reloaded.pending()).toBe(0);
  });

  it("sets aside a record the server refuses (4xx) and saves the rest of its batch", async () => {
    const server = fakeServer();
    server.state.refuse.add(2);
    const storage = memoryStorage();
    const rejected: [number, string][] = [];
    const q = createSaveQueue({
      token: "t",
      storage,
      fetch: server.fetch,
      batchSize: 10,
      onRejected: (r, e) => rejected.push([r.trialIndex, e]),
    });
    server.state.mode = "down";
    for (let i = 0; i < 5; i++) q.enqueue(record(i));
    await vi.advanceTimersByTimeAsync(0);
    server.state.mode = "up";
    q.retryNow();
    await drain(q);
    expect([...server.saved.keys()].sort()).toEqual(["main:0", "main:1", "main:3", "main:4"]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0][0]).toBe(2);
    expect(rejected[0][1]).toMatch(/422.*trialIndex invalid/);
    expect(q.rejected().map((r) => r.trialIndex)).toEqual([2]);
    expect(JSON.parse(storage.map.get(`${saveQueueStorageKey("t")}:rejected`)!)).toHaveLength(1);
    // afterwards batches are full size again
    server.state.mode = "down";
    q.enqueue(record(5));
    q.enqueue(record(6));
    await vi.advanceTimersByTimeAsync(0);
    server.state.mode = "up";
    await drain(q);
    expect(server.requests.at(-1)!.map((t) => t.trialIndex)).toEqual([5, 6]);
  });

  it("goes offline then online: whenDrained waits for the last save", async () => {
    const server = fakeServer();
    server.state.mode = "down";
    const statuses: number[] = [];
    const q = createSaveQueue({
      token: "t",
      storage: memoryStorage(),
      fetch: server.fetch,
      onStatus: (s) => statuses.push(s.pending),
    });
    q.enqueue(record(0, "practice"));
    q.enqueue(record(0));
    let drained = false;
    void q.whenDrained().then(() => (drained = true));
    await vi.advanceTimersByTimeAsync(5000);
    expect(drained).toBe(false);
    expect(q.status().online).toBe(false);
    server.state.mode = "up";
    await vi.advanceTimersByTimeAsync(10_000);
    expect(drained).toBe(true);
    expect([...server.saved.keys()]).toEqual(["practice:0", "main:0"]);
    expect(statuses.at(-1)).toBe(0);
  });

  it("falls back to fetch keepalive when sendBeacon is unavailable", async () => {
    const calls: boolean[] = [];
    const fetch: FetchLike = async (_u, init) => {
      calls.push(init.keepalive === true);
      throw new TypeError("offline");
    };
    const q = createSaveQueue({
      token: "t",
      storage: null,
      fetch,
      sendBeacon: null,
      flushEvery: 1,
    });
    q.enqueue(record(0));
    await vi.advanceTimersByTimeAsync(0);
    q.flushWithBeacon();
    expect(calls).toEqual([false, true]);
    q.dispose();
  });

  it("sends extra body fields and keeps its own storage, so a model-stream queue lives beside the trial queue", async () => {
    const storage = memoryStorage();
    const bodies: Record<string, unknown>[] = [];
    const fetch: FetchLike = async (_url, init) => {
      bodies.push(JSON.parse(init.body));
      return { ok: true, status: 200, text: async () => "{}" };
    };
    const trialsQ = createSaveQueue({
      token: "t",
      storage,
      fetch: async () => ({ ok: false, status: 503, text: async () => "" }),
    });
    trialsQ.enqueue(record(0));
    const modelQ = createSaveQueue({
      token: "t",
      storage,
      fetch,
      storageKey: "model:t:flexible",
      bodyFields: { preset: "flexible", seed: 7 },
    });
    modelQ.enqueue(record(0));
    await drain(modelQ);
    expect(bodies).toEqual([{ preset: "flexible", seed: 7, trials: [record(0)] }]);
    expect(JSON.parse(storage.map.get(saveQueueStorageKey("t"))!)).toHaveLength(1);
    trialsQ.dispose();
  });

  describe("coalescing (clock injected through the timers and now options)", () => {
    /** A manual clock: timers fire only when advance() passes their time. */
    function manualClock() {
      let t = 0;
      let nextId = 0;
      const due = new Map<number, { at: number; fn: () => void }>();
      const timers = {
        setTimeout: (fn: () => void, ms: number) => {
          due.set(++nextId, { at: t + ms, fn });
          return nextId;
        },
        clearTimeout: (h: unknown) => void due.delete(h as number),
      };
      const settle = () => vi.advanceTimersByTimeAsync(0); // let fetch promises resolve
      async function advance(ms: number) {
        const end = t + ms;
        for (;;) {
          const next = [...due].sort((a, b) => a[1].at - b[1].at)[0];
          if (!next || next[1].at > end) break;
          t = next[1].at;
          due.delete(next[0]);
          next[1].fn();
          await settle();
        }
        t = end;
        await settle();
      }
      return { timers, now: () => t, advance, settle, pendingTimers: () => due.size };
    }

    it("sends a few trials per request at human pace: several-fold fewer requests, each trial once, none held past flushAfterMs", async () => {
      const server = fakeServer();
      const clock = manualClock();
      const sentAt = new Map<number, number>();
      const q = createSaveQueue({
        token: "t",
        storage: memoryStorage(),
        fetch: async (url, init) => {
          for (const t of (JSON.parse(init.body) as { trials: TrialRecordInput[] }).trials)
            sentAt.set(t.trialIndex, clock.now());
          return server.fetch(url, init);
        },
        timers: clock.timers,
        now: clock.now,
        flushEvery: 6,
        flushAfterMs: 6000,
      });
      const enqueuedAt: number[] = [];
      for (let i = 0; i < 100; i++) {
        await clock.advance(1000 + ((i * 7919) % 1000)); // one trial every 1–2 s
        enqueuedAt.push(clock.now());
        q.enqueue(record(i));
      }
      await clock.advance(6000);
      expect(q.pending()).toBe(0);
      expect(server.saved.size).toBe(100);
      expect(server.state.duplicates).toBe(0);
      expect(server.requests.length).toBeLessThanOrEqual(100 / 4);
      const waits = enqueuedAt.map((at, i) => sentAt.get(i)! - at);
      expect(Math.max(...waits)).toBeLessThanOrEqual(6000);
    });

    it("whenDrained and retryNow send a partial batch at once; a restored queue sends at once", async () => {
      const server = fakeServer();
      const clock = manualClock();
      const storage = memoryStorage();
      const opts = {
        token: "t",
        storage,
        fetch: server.fetch,
        timers: clock.timers,
        now: clock.now,
      };
      const q = createSaveQueue(opts);
      q.enqueue(record(0));
      q.enqueue(record(1));
      await clock.settle();
      expect(server.requests).toHaveLength(0); // waiting to coalesce
      let drained = false;
      void q.whenDrained().then(() => (drained = true));
      await clock.settle();
      expect(server.requests.map((b) => b.length)).toEqual([2]);
      expect(drained).toBe(true);
      q.enqueue(record(2));
      q.retryNow();
      await clock.settle();
      expect(server.requests.map((b) => b.length)).toEqual([2, 1]);
      q.enqueue(record(3));
      q.dispose(); // page closed before the batch went
      expect(clock.pendingTimers()).toBe(0);
      const reloaded = createSaveQueue(opts);
      await clock.settle();
      expect(server.requests.at(-1)!.map((t) => t.trialIndex)).toEqual([3]);
      expect(reloaded.pending()).toBe(0);
    });
  });
});
