/// <reference lib="webworker" />
// Module Web Worker entry: runs a ModelRequest off the main thread.
// In:  {type:"run", request} | {type:"cancel"}
// Out: {type:"progress", done, total} … then {type:"result", response} or {type:"error", message}.
import { initBackend } from "./backend";
import { CancelledError } from "./progress";
import { type ModelRequest, runModel } from "./run";
import type { WorkerIn, WorkerOut } from "./worker-protocol";

let controller: AbortController | null = null;
const post = (m: WorkerOut) =>
  (self as unknown as { postMessage(m: WorkerOut): void }).postMessage(m);

async function handleRun(request: ModelRequest) {
  controller?.abort();
  const mine = new AbortController();
  controller = mine;
  try {
    const backend = await initBackend();
    const response = await runModel(request, {
      signal: mine.signal,
      onProgress: (done, total) => post({ type: "progress", done, total, backend }),
    });
    post({ type: "result", response });
  } catch (err) {
    post({
      type: "error",
      message: err instanceof Error ? err.message : String(err),
      cancelled: err instanceof CancelledError,
    });
  } finally {
    if (controller === mine) controller = null;
  }
}

self.addEventListener("message", (ev: MessageEvent<WorkerIn>) => {
  const msg = ev.data;
  if (msg.type === "run") void handleRun(msg.request);
  else if (msg.type === "cancel") controller?.abort();
});
