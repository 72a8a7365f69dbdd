// The compute pool: the model's CPU-heavy tasks (lib/model/compute.ts) run in worker threads
// (piscina), so the web server's event loop keeps answering while a fit or a model stream runs.
// Database reads and writes stay on the main thread (one connection pool; embedded PGlite allows
// one process per data folder). The pool starts on first use and its threads exit when idle.
import "server-only";

import os from "node:os";
import path from "node:path";
import { MessageChannel } from "node:worker_threads";

import { Piscina } from "piscina";

import type { ComputeInput, ComputeOutput, ComputeTaskName } from "@/lib/model/compute";

import { readJobEnv } from "./env";

let pool: Piscina | null = null;

/** Threads of the pool: NTA_COMPUTE_THREADS, or half the cores (at least 1). */
export function computeThreads(): number {
  return readJobEnv().computeThreads ?? Math.max(1, Math.floor(os.availableParallelism() / 2));
}

function getPool(): Piscina {
  pool ??= new Piscina({
    filename: path.join(/* turbopackIgnore: true */ process.cwd(), "lib/model/compute-worker.mjs"),
    minThreads: 0,
    maxThreads: computeThreads(),
    idleTimeout: 30_000,
    // a task's thread is terminated when its signal aborts (timeout, shutdown)
    atomics: "disabled",
  });
  return pool;
}

/**
 * Run a compute task in a worker thread. `onProgress` receives the task's progress on the main
 * thread; aborting `signal` terminates the thread running it (the promise rejects).
 */
export async function runOffThread<N extends ComputeTaskName>(
  name: N,
  input: ComputeInput<N>,
  opts: { onProgress?: (fraction: number, message: string) => void; signal?: AbortSignal } = {},
): Promise<ComputeOutput<N>> {
  const channel = new MessageChannel();
  channel.port1.on("message", (m: { fraction: number; message: string }) =>
    opts.onProgress?.(m.fraction, m.message),
  );
  try {
    return (await getPool().run(
      { name, input, port: channel.port2 },
      { transferList: [channel.port2], signal: opts.signal },
    )) as ComputeOutput<N>;
  } finally {
    channel.port1.close();
  }
}

/** Stop the pool's threads (shutdown; tests). Tasks still running are terminated. */
export async function closeComputePool() {
  const p = pool;
  pool = null;
  await p?.destroy();
}
