// Next.js start-up hook: run the database-backed job worker inside the app server (Node runtime
// only). Jobs survive restarts because they are rows; NTA_JOB_WORKER=0 turns the in-process
// worker off (e.g. when a separate `npm run jobs:work` process serves them).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return; // set by Next.js itself, not by an operator
  const { serverEnv } = await import("./lib/server/env");
  if (serverEnv().NTA_JOB_WORKER === "0") return;
  const [{ startJobWorker }, { jobHandlers }] = await Promise.all([
    import("./lib/server/job-runner"),
    import("./lib/server/job-handlers"),
  ]);
  startJobWorker(jobHandlers);
}
