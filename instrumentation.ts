// Next.js start-up hook (Node runtime only): run the database-backed job worker inside the app
// server, and stop cleanly. Jobs survive restarts because they are rows; their CPU work runs in
// worker threads (lib/server/job-pool.ts). NTA_JOB_WORKER=0 turns the in-process worker off (e.g.
// when separate `npm run jobs:work` processes serve the queue). Housekeeping (abandoned runs) runs
// on every instance. On SIGTERM Next.js finishes the requests in flight; then the worker puts its
// running jobs back in the queue and the database is flushed and closed (PGlite) before the process
// exits.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return; // set by Next.js itself, not by an operator
  const [
    { serverEnv },
    { startHousekeeping },
    { closeDb },
    { runBeforeExit },
    { closeComputePool },
  ] = await Promise.all([
    import("./lib/server/env"),
    import("./lib/server/housekeeping"),
    import("./lib/server/db"),
    import("./lib/server/graceful-exit"),
    import("./lib/server/job-pool"),
  ]);
  const housekeeping = startHousekeeping();
  let stopWorker = async () => {};
  if (serverEnv().NTA_JOB_WORKER !== "0") {
    const [{ startJobWorker }, { jobHandlers, jobTimeouts }] = await Promise.all([
      import("./lib/server/job-runner"),
      import("./lib/server/job-handlers"),
    ]);
    const worker = startJobWorker(jobHandlers, { timeouts: jobTimeouts });
    stopWorker = worker.stop;
  }
  runBeforeExit(async () => {
    housekeeping.stop();
    await stopWorker();
    await closeComputePool();
    await closeDb();
    console.log("[shutdown] jobs handed back, database closed");
  });
}
