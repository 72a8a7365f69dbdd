// Node worker_threads entry for paper-threads.ts: runs a subset of a paper-mode run's batch
// elements on the js engine (js-paper.ts) and posts their logs and final state back (transferred).
import { parentPort, workerData } from "node:worker_threads";

import { type PaperThreadJob, runPaperElements } from "./js-paper";

const job = workerData as PaperThreadJob;
const port = parentPort!;
try {
  const out = runPaperElements(job, (done) => port.postMessage({ type: "progress", done }));
  const transfer = out.flatMap((o) => [
    o.loss.buffer,
    o.gates.buffer,
    o.W.buffer,
    o.c.buffer,
    ...(o.cos ? [o.cos.buffer] : []),
  ]);
  port.postMessage({ type: "done", out }, transfer as ArrayBuffer[]);
} catch (e) {
  port.postMessage({
    type: "error",
    message: e instanceof Error ? (e.stack ?? e.message) : String(e),
  });
}
