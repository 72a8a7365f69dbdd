// Sends the page's interaction events (lib/core/run-events.ts) to POST /api/runs/<token>/events:
// each event is queued and sent at once (they are rare); a failed send stays queued and goes with
// the next event, or by sendBeacon when the page is hidden. Losing one is tolerable (it is not a
// trial), so there is no localStorage copy.
import type { RunEvent, RunEventType } from "@/lib/core/run-events";

export type RunEventSender = {
  record: (type: RunEventType, timeMs: number, size?: { width: number; height: number }) => void;
  /** The last task trial finished (events are stamped with it). */
  setLastTrial: (phase: "practice" | "main", trialIndex: number) => void;
  flushWithBeacon: () => void;
  /** Stop recording (the run is over; our own exit from full screen is not an event). */
  stop: () => void;
};

function randomPageId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function createRunEventSender(token: string): RunEventSender {
  const url = `/api/runs/${encodeURIComponent(token)}/events`;
  const pageId = randomPageId();
  let seq = 0;
  let last: { phase: "practice" | "main"; trialIndex: number } | null = null;
  let queue: RunEvent[] = [];
  let sending = false;
  let stopped = false;

  async function send() {
    if (sending || queue.length === 0) return;
    sending = true;
    const batch = queue.slice(0, 50);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ events: batch }),
        keepalive: true,
      });
      // 4xx: the server will never take these (finished run, bad event); drop them.
      if (res.ok || (res.status >= 400 && res.status < 500)) queue = queue.slice(batch.length);
    } catch {
      // offline: kept for the next event or the page-hide beacon
    } finally {
      sending = false;
    }
    if (queue.length > 0 && !stopped) void send();
  }

  return {
    record(type, timeMs, size) {
      if (stopped) return;
      queue.push({
        pageId,
        seq: seq++,
        type,
        timeMs: Math.max(0, Math.round(timeMs)),
        phase: last?.phase ?? null,
        trialIndex: last?.trialIndex ?? null,
        width: size?.width ?? null,
        height: size?.height ?? null,
      });
      void send();
    },
    setLastTrial(phase, trialIndex) {
      last = { phase, trialIndex };
    },
    flushWithBeacon() {
      if (queue.length === 0 || typeof navigator.sendBeacon !== "function") return;
      const body = new Blob([JSON.stringify({ events: queue.slice(0, 50) })], {
        type: "application/json",
      });
      if (navigator.sendBeacon(url, body)) queue = queue.slice(50);
    },
    stop() {
      stopped = true;
    },
  };
}
