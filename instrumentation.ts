// Next.js start-up hook (Node runtime only): refuse to start without a production AUTH_SECRET,
// put the http guard in front of every request (lib/server/http-guard.ts: trusted client address,
// slow-client timeouts, 405/400 for requests no route can mean), and run the database-backed job
// worker inside the app server. Jobs survive restarts because they are rows; NTA_JOB_WORKER=0
// turns the in-process worker off (e.g. when a separate `npm run jobs:work` process serves them).
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
  if (serverEnv().NTA_JOB_WORKER === "0") return;
  const [{ startJobWorker }, { jobHandlers }] = await Promise.all([
    import("./lib/server/job-runner"),
    import("./lib/server/job-handlers"),
  ]);
  startJobWorker(jobHandlers);
}
