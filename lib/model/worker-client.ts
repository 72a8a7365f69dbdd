// Main-thread helper: run a ModelRequest in a module Web Worker with progress and cancellation.
import { CancelledError } from "./progress";
import type { ModelRequest, ModelResponse } from "./run";
import type { WorkerIn, WorkerOut } from "./worker-protocol";

export type RunInWorkerOptions = {
  onProgress?: (done: number, total: number, backend: string) => void;
  signal?: AbortSignal;
  /** For tests: supply the worker (default: the bundled lib/model/worker.ts). */
  createWorker?: () => Worker;
};

export function runInWorker(
  request: ModelRequest,
  opts: RunInWorkerOptions = {},
): Promise<ModelResponse> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CancelledError());
    const worker =
      opts.createWorker?.() ??
      new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    const send = (m: WorkerIn) => worker.postMessage(m);
    const done = () => {
      opts.signal?.removeEventListener("abort", onAbort);
      worker.terminate();
    };
    const onAbort = () => {
      send({ type: "cancel" });
      done();
      reject(new CancelledError());
    };
    opts.signal?.addEventListener("abort", onAbort);
    worker.onmessage = (ev: MessageEvent<WorkerOut>) => {
      const m = ev.data;
      if (m.type === "progress") opts.onProgress?.(m.done, m.total, m.backend);
      else if (m.type === "result") {
        done();
        resolve(m.response);
      } else {
        done();
        reject(m.cancelled ? new CancelledError() : new Error(m.message));
      }
    };
    worker.onerror = (ev) => {
      done();
      reject(new Error(`Model worker failed: ${ev.message}`));
    };
    send({ type: "run", request });
  });
}
