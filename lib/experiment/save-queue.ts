// Client save queue for trial records (docs/ARCHITECTURE.md §6.1: append batches as they happen).
// enqueue() writes the record to storage at once, so a reload or crash loses nothing; records are
// sent in order, in small batches, and leave storage only after the server answers 2xx. The server
// is idempotent by (run, phase, trialIndex), so resending after a reload or a beacon is harmless.
// Network errors, 5xx, 408 and 429 are retried with exponential backoff (capped); any other 4xx is
// permanent for the records in that batch: the batch is retried one record at a time to isolate
// the bad record, which is set aside (kept in storage, reported via onRejected), never resent.
// Pure TypeScript (no jspsych import): safe to import statically anywhere.
import type { TrialRecordInput } from "@/lib/core/trial-record";

export type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;
export type FetchLike = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string; keepalive?: boolean },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;
export type TimersLike = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export type SaveQueueStatus = {
  /** Records not yet confirmed by the server. */
  pending: number;
  /** Records the server refused permanently (4xx). */
  rejected: number;
  /** false after a failed attempt, until the next success. */
  online: boolean;
  /** Consecutive failed attempts. */
  failures: number;
  lastError: string | null;
  /** When the next retry is due (now() clock), or null. */
  retryAt: number | null;
};

export type SaveQueueOptions = {
  token: string;
  /** Default `/api/runs/${token}/trials`. */
  endpoint?: string;
  /** Extra fields sent with every batch, e.g. {preset, seed} for a model stream. */
  bodyFields?: Record<string, unknown>;
  /** Storage key of this queue; default saveQueueStorageKey(token). Give a second queue its own. */
  storageKey?: string;
  /** localStorage-like; null keeps records in memory only. */
  storage?: StorageLike | null;
  fetch?: FetchLike;
  /** navigator.sendBeacon-like; without it flushWithBeacon falls back to fetch keepalive. */
  sendBeacon?: ((url: string, data: Blob | string) => boolean) | null;
  timers?: TimersLike;
  now?: () => number;
  batchSize?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called after every change of the status (enqueue, success, failure). */
  onStatus?: (status: SaveQueueStatus) => void;
  /** Called when the server permanently refuses a record. */
  onRejected?: (record: TrialRecordInput, error: string) => void;
};

export type SaveQueue = {
  enqueue(record: TrialRecordInput): void;
  pending(): number;
  rejected(): TrialRecordInput[];
  status(): SaveQueueStatus;
  /** Resolves once every enqueued record is confirmed (rejected ones do not block it). */
  whenDrained(): Promise<void>;
  /** Try now instead of waiting for the backoff (e.g. on the browser's "online" event). */
  retryNow(): void;
  /** Send everything pending with sendBeacon (page is going away); records stay queued. */
  flushWithBeacon(): boolean;
  /** Stop timers; storage is kept. */
  dispose(): void;
};

const keyOf = (r: TrialRecordInput) => `${r.phase ?? "main"}:${r.trialIndex}`;

/** Storage key of the pending records of a run (and `${key}:rejected` for refused ones). */
export const saveQueueStorageKey = (token: string) => `nta:save-queue:${token}`;

export function createSaveQueue(options: SaveQueueOptions): SaveQueue {
  const endpoint = options.endpoint ?? `/api/runs/${encodeURIComponent(options.token)}/trials`;
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const sendBeacon =
    options.sendBeacon === undefined
      ? typeof navigator !== "undefined" && typeof navigator.sendBeacon === "function"
        ? (url: string, data: Blob | string) => navigator.sendBeacon(url, data)
        : null
      : options.sendBeacon;
  const timers: TimersLike = options.timers ?? {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  const now = options.now ?? (() => Date.now());
  const batchSize = options.batchSize ?? 20;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const pendingKey = options.storageKey ?? saveQueueStorageKey(options.token);
  const bodyOf = (trials: TrialRecordInput[]) => JSON.stringify({ ...options.bodyFields, trials });
  const rejectedKey = `${pendingKey}:rejected`;

  let queue: TrialRecordInput[] = read(pendingKey);
  const rejectedRecords: TrialRecordInput[] = read(rejectedKey);
  let inFlight = false;
  let isolate = 0; // records left to send one at a time after a 4xx on a batch
  let failures = 0;
  let online = true;
  let lastError: string | null = null;
  let retryAt: number | null = null;
  let retryHandle: unknown = null;
  let disposed = false;
  let drainWaiters: (() => void)[] = [];

  function read(key: string): TrialRecordInput[] {
    try {
      const raw = storage?.getItem(key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? (parsed as TrialRecordInput[]) : [];
    } catch {
      return [];
    }
  }

  function write(key: string, records: TrialRecordInput[]) {
    try {
      if (records.length === 0) storage?.removeItem(key);
      else storage?.setItem(key, JSON.stringify(records));
    } catch {
      // Storage full or blocked: the records are still held in memory and sent from there.
    }
  }

  const status = (): SaveQueueStatus => ({
    pending: queue.length,
    rejected: rejectedRecords.length,
    online,
    failures,
    lastError,
    retryAt,
  });

  function changed() {
    options.onStatus?.(status());
    if (queue.length === 0 && !inFlight) {
      const waiters = drainWaiters;
      drainWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  function scheduleRetry() {
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, failures - 1));
    retryAt = now() + delay;
    retryHandle = timers.setTimeout(() => {
      retryHandle = null;
      retryAt = null;
      pump();
    }, delay);
  }

  function removeSent(batch: TrialRecordInput[]) {
    const sent = new Set(batch.map(keyOf));
    queue = queue.filter((r) => !sent.has(keyOf(r)));
    write(pendingKey, queue);
  }

  async function pump(): Promise<void> {
    if (disposed || inFlight || retryHandle !== null || queue.length === 0) return;
    const batch = queue.slice(0, isolate > 0 ? 1 : batchSize);
    inFlight = true;
    let outcome: "ok" | "retry" | "permanent";
    let error: string | null = null;
    try {
      const res = await doFetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: bodyOf(batch),
      });
      if (res.ok) outcome = "ok";
      else {
        error = `HTTP ${res.status}${await res.text().then(
          (t) => (t ? `: ${t.slice(0, 300)}` : ""),
          () => "",
        )}`;
        outcome =
          res.status >= 500 || res.status === 408 || res.status === 429 ? "retry" : "permanent";
      }
    } catch (e) {
      outcome = "retry";
      error = e instanceof Error ? e.message : String(e);
    }
    inFlight = false;
    if (disposed) return;

    if (outcome === "ok") {
      removeSent(batch);
      failures = 0;
      online = true;
      lastError = null;
      if (isolate > 0) isolate--;
    } else if (outcome === "retry") {
      failures++;
      online = false;
      lastError = error;
      scheduleRetry();
    } else if (batch.length > 1) {
      lastError = error;
      isolate = batch.length; // find the refused record(s) one by one
    } else {
      lastError = error;
      removeSent(batch);
      rejectedRecords.push(batch[0]);
      write(rejectedKey, rejectedRecords);
      if (isolate > 0) isolate--;
      options.onRejected?.(batch[0], error ?? "rejected");
    }
    changed();
    void pump();
  }

  const queueApi: SaveQueue = {
    enqueue(record) {
      const key = keyOf(record);
      if (!queue.some((r) => keyOf(r) === key)) {
        queue.push(record);
        write(pendingKey, queue);
      }
      changed();
      void pump();
    },
    pending: () => queue.length,
    rejected: () => rejectedRecords.slice(),
    status,
    whenDrained() {
      if (queue.length === 0 && !inFlight) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push(resolve));
    },
    retryNow() {
      if (retryHandle !== null) {
        timers.clearTimeout(retryHandle);
        retryHandle = null;
        retryAt = null;
      }
      void pump();
    },
    flushWithBeacon() {
      if (queue.length === 0) return true;
      let all = true;
      for (let i = 0; i < queue.length; i += batchSize) {
        const body = bodyOf(queue.slice(i, i + batchSize));
        if (sendBeacon) {
          const blob =
            typeof Blob === "function" ? new Blob([body], { type: "application/json" }) : body;
          all = sendBeacon(endpoint, blob) && all;
        } else {
          doFetch(endpoint, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body,
            keepalive: true,
          }).catch(() => undefined);
        }
      }
      return all;
    },
    dispose() {
      disposed = true;
      if (retryHandle !== null) timers.clearTimeout(retryHandle);
      retryHandle = null;
    },
  };

  if (queue.length > 0) void pump();
  return queueApi;
}

function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}
