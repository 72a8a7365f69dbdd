// Graceful stop of a server process. `next start` answers SIGTERM/SIGINT by closing its HTTP
// server, waiting for the requests in flight, and then calling process.exit; this runs our own
// clean-up (stop the job worker, close the compute pool, flush and close the database) before that
// exit goes through, bounded by a grace period so a stuck clean-up cannot keep the process alive.
import "server-only";

type ExitingProcess = Pick<NodeJS.Process, "exit" | "once">;

/** Most time the clean-up may take before the process exits anyway. */
export const CLEANUP_GRACE_MS = 10_000;

/**
 * Run `cleanup` once before the process exits through process.exit, and on SIGTERM/SIGINT when
 * `ownSignals` is set (a process with no server of its own, such as `npm run jobs:work`).
 */
export function runBeforeExit(
  cleanup: () => Promise<void>,
  opts: { proc?: ExitingProcess; ownSignals?: boolean; graceMs?: number } = {},
) {
  const proc = opts.proc ?? process;
  const exit = proc.exit.bind(proc);
  let done: Promise<void> | null = null;
  const finish = (code?: number | string | null) => {
    done ??= Promise.race([
      cleanup().catch((err) => console.error("[shutdown] clean-up failed", err)),
      new Promise<void>((resolve) => setTimeout(resolve, opts.graceMs ?? CLEANUP_GRACE_MS).unref()),
    ]);
    void done.then(() => exit(code ?? undefined));
  };
  proc.exit = ((code?: number | string | null) => finish(code)) as ExitingProcess["exit"];
  if (opts.ownSignals) {
    proc.once("SIGTERM", () => finish(143));
    proc.once("SIGINT", () => finish(130));
  }
}
