// Node-only: a paper-mode run (js engine) with its batch elements split over worker_threads.
// Elements are independent (own init and data streams, js-paper.ts), so the result is
// bit-identical to runPaper's for the same input and seed; only the wall time changes. The
// browser keeps its single Web Worker (worker.ts); this module is for the CLI, the bench and
// server jobs, and must not be imported from client code.
//
// When it pays (measured, docs/model.md "Benchmark"): the first worker costs ~0.1–0.3 s of wall
// time (an esbuild bundle of the worker, once per process, then ~0.05 s per thread start), so
// `threads: "auto"` uses workers only when the run has ≥ 2 elements and ≥ 1e5 element-steps
// (Fig 8 × 10 seeds has 3.2e4 and runs ~0.3 s on one thread; Fig 2 × 10 seeds has 2.2e5).
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

import { type PaperElementOutput, type PaperThreadJob, runPaperElements } from "./js-paper";
import { CancelledError, throwIfAborted } from "./progress";
import { buildSchedule } from "./schedule";
import {
  type PaperRunInput,
  type PaperRunOptions,
  type PaperRunResult,
  runPaper,
} from "./simulate-paper";

export type ThreadedPaperRunOptions = PaperRunOptions & {
  /** Worker threads (the main thread runs one share itself). "auto": min(cores, elements) when the
   * run is large enough to repay the start-up, else 1. Default "auto". 1: plain runPaper. */
  threads?: number | "auto";
};

/** Element-steps below which "auto" stays on one thread. */
export const AUTO_THREAD_MIN_WORK = 1e5;

export function chooseThreads(
  elements: number,
  totalSteps: number,
  threads: number | "auto" = "auto",
): number {
  if (threads !== "auto") return Math.max(1, Math.min(Math.floor(threads), elements));
  if (elements < 2 || elements * totalSteps < AUTO_THREAD_MIN_WORK) return 1;
  return Math.max(1, Math.min(availableParallelism(), elements));
}

/** Contiguous, balanced split of n items into k groups. */
export function splitEven<T>(items: T[], k: number): T[][] {
  const out: T[][] = [];
  for (let g = 0, start = 0; g < k; g++) {
    const n = Math.floor(items.length / k) + (g < items.length % k ? 1 : 0);
    out.push(items.slice(start, start + n));
    start += n;
  }
  return out;
}

const WORKER_URL = new URL("./paper-thread-worker.ts", import.meta.url);

// Node 20 does not carry the parent's tsx loader hooks into worker threads. Preferred: bundle the
// worker entry once per process with esbuild (tsx's own dependency) into one CommonJS script and
// run it with `eval` (no loader in the thread: ~0.05 s to start). Fallback: a bootstrap that
// registers tsx's ESM loader in the thread and imports the .ts entry (~0.3 s of CPU per worker).
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
import(workerData.tsxApi).then((api) => { api.register(); return import(workerData.entry); });
`;
const bundled = new Map<string, string | null>();

function bundleWorker(entry: URL): string | null {
  if (bundled.has(entry.href)) return bundled.get(entry.href)!;
  let code: string | null;
  try {
    const req = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"));
    const esbuild = req("esbuild") as typeof import("esbuild");
    const out = esbuild.buildSync({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      write: false,
      logLevel: "silent",
      absWorkingDir: process.cwd(),
    });
    code = out.outputFiles[0].text;
  } catch {
    code = null;
  }
  bundled.set(entry.href, code);
  return code;
}

/** How workers start in this process: "bundle" (esbuild, preferred) or "tsx" (loader in each thread). */
export const workerMode = (): "bundle" | "tsx" => (bundleWorker(WORKER_URL) ? "bundle" : "tsx");

/** A worker thread running the TypeScript module `entry` (Node-only; CLI, bench and server jobs). */
export function spawnTsWorker(entry: URL, workerData: unknown): Worker {
  const code = bundleWorker(entry);
  if (code) return new Worker(code, { eval: true, workerData });
  // tsx's ESM api (dist/esm/api/index.mjs); its "require" export cannot register from an ESM import
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  return new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { ...(workerData as object), tsxApi, entry: entry.href },
  });
}

const spawn = (job: PaperThreadJob): Worker => spawnTsWorker(WORKER_URL, job);

/** Start a worker for one job and resolve with its elements' outputs. */
function startWorker(
  job: PaperThreadJob,
  onProgress: (done: number) => void,
  signal?: AbortSignal,
): Promise<PaperElementOutput[]> {
  const w = spawn(job);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      void w.terminate();
      reject(new CancelledError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const finish = () => signal?.removeEventListener("abort", onAbort);
    w.on(
      "message",
      (
        m:
          | { type: "progress"; done: number }
          | { type: "done"; out: PaperElementOutput[] }
          | { type: "error"; message: string },
      ) => {
        if (m.type === "progress") onProgress(m.done);
        else if (m.type === "done") {
          finish();
          resolve(m.out);
          void w.terminate();
        } else {
          finish();
          reject(new Error(`paper-mode worker failed: ${m.message}`));
          void w.terminate();
        }
      },
    );
    w.on("error", (e) => {
      finish();
      reject(e);
    });
    w.on("exit", (code) => {
      finish();
      reject(new Error(`paper-mode worker exited with code ${code} before finishing`)); // no-op once settled
    });
  });
}

/**
 * runPaper with the batch elements split over worker threads (js engine only; the tfjs engine and
 * single-thread runs go to runPaper unchanged). Same result as runPaper, bit for bit.
 */
export async function runPaperThreaded(
  input: PaperRunInput,
  opts: ThreadedPaperRunOptions,
): Promise<PaperRunResult> {
  const t0 = performance.now();
  const { arch, curriculum, params } = input;
  if ((opts.engine ?? "js") !== "js" || !(Number.isInteger(opts.seeds) && opts.seeds > 0))
    return runPaper(input, opts);
  const sched = buildSchedule(curriculum, arch.dt, arch.dIn, arch.dOut);
  const elements = params.flatMap((_, pi) =>
    Array.from({ length: opts.seeds }, (_, si) => ({ paramIndex: pi, seedIndex: si })),
  );
  const threads = chooseThreads(elements.length, sched.totalSteps, opts.threads);
  if (threads <= 1) return runPaper(input, opts);
  throwIfAborted(opts.signal);
  const seed = opts.seed ?? 0;
  const record = opts.recordAlignment ?? true;
  const T = sched.totalSteps,
    E = elements.length;
  const groups = splitEven(elements, threads);
  const base = { arch, curriculum, params, seed, record, chunkSteps: opts.chunkSteps ?? 1024 };
  const done = new Array<number>(threads).fill(0);
  const report = (g: number) => (d: number) => {
    done[g] = d;
    opts.onProgress?.(Math.floor(done.reduce((a, b) => a + b, 0) / E), T);
  };
  // groups 1… in workers; group 0 on this thread after they have been started
  const pending = groups
    .slice(1)
    .map((els, i) => startWorker({ ...base, elements: els }, report(i + 1), opts.signal));
  let mine: PaperElementOutput[];
  try {
    mine = runPaperElements({ ...base, elements: groups[0] }, report(0), opts.signal);
  } catch (e) {
    await Promise.allSettled(pending);
    throw e;
  }
  const outs = [mine, ...(await Promise.all(pending))].flat();
  return {
    arch,
    params,
    schedule: sched,
    seeds: opts.seeds,
    seed,
    elements,
    loss: outs.map((o) => o.loss),
    gates: outs.map((o) => o.gates),
    cos: record ? outs.map((o) => o.cos!) : null,
    finalW: outs.map((o) => Float32Array.from(o.W)),
    finalC: outs.map((o) => Float32Array.from(o.c)),
    backend: "js",
    wallMs: performance.now() - t0,
  };
}
