// Next.js start-up hook (Node runtime only): refuse to start without a production AUTH_SECRET, put
// the http guard in front of every request (lib/server/http-guard.ts: trusted client address,
// slow-client timeouts, 405/400 for requests no route can mean), run housekeeping (abandoned runs)
// on every instance and the database-backed job worker inside the app server, and stop cleanly.
// Jobs survive restarts because they are rows; their CPU work runs in worker threads
// (lib/server/job-pool.ts). NTA_JOB_WORKER=0 turns the in-process worker off (e.g. when separate
// `npm run jobs:work` processes serve the queue). On SIGTERM Next.js finishes the requests in
// flight; then the worker puts its running jobs back in the queue and the database is flushed and
// closed (PGlite) before the process exits.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return; // set by Next.js itself, not by an operator
  const [{ resolveAuthSecret }, { installHttpGuard }, { serverEnv }] = await Promise.all([
    import("./lib/server/auth-secret"),
    import("./lib/server/http-guard"),
    import("./lib/server/env"),
  ]);
  try {
    resolveAuthSecret();
  } catch (err) {
    // Next.js would log this and keep answering 500; a misconfigured server should not run at all.
    console.error(`[startup] ${(err as Error).message}`);
    process.exit(1);
  }
  installHttpGuard({ trustProxy: serverEnv().TRUST_PROXY });
  const [{ startHousekeeping }, { closeDb }, { runBeforeExit }, { closeComputePool }] =
    await Promise.all([
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
