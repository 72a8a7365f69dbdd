// The load test's scenarios and load parameters (scripts/loadtest.ts runs them; report.ts
// describes them in docs/RELIABILITY.md).

export type Scenario = {
  name: string;
  db: "postgres" | "pglite";
  participants: number;
  trials: number;
  instances: number;
  fault: "none" | "kill-app" | "restart-postgres" | "kill-instance";
  /** A study-wide fit runs during the load (job worker on the first instance, or the worker process). */
  fit: boolean;
  /** deploy/: nginx (TLS) in front of the instances, jobs in a separate `npm run jobs:work` process. */
  proxy: boolean;
  /** Part of the check: trial-POST p99 at most this (ms). */
  p99TargetMs?: number;
  description: string;
};

export const SCENARIOS: Scenario[] = [
  {
    name: "postgres",
    db: "postgres",
    participants: 200,
    trials: 100,
    instances: 1,
    fault: "none",
    fit: true,
    proxy: false,
    p99TargetMs: 100,
    description: "client faults only, one app on PostgreSQL, a study-wide fit running on it",
  },
  {
    name: "pglite",
    db: "pglite",
    participants: 50,
    trials: 100,
    instances: 1,
    fault: "none",
    fit: false,
    proxy: false,
    description: "client faults only, embedded PGlite",
  },
  {
    name: "kill-app",
    db: "postgres",
    participants: 100,
    trials: 60,
    instances: 1,
    fault: "kill-app",
    fit: false,
    proxy: false,
    description: "app server killed (SIGKILL) and restarted mid-run, PostgreSQL",
  },
  {
    name: "restart-postgres",
    db: "postgres",
    participants: 100,
    trials: 60,
    instances: 1,
    fault: "restart-postgres",
    fit: false,
    proxy: false,
    description: "PostgreSQL server restarted mid-run",
  },
  {
    name: "two-instances",
    db: "postgres",
    participants: 200,
    trials: 60,
    instances: 2,
    fault: "none",
    fit: false,
    proxy: false,
    description: "two app instances on one PostgreSQL, participants split across them",
  },
  {
    name: "proxy",
    db: "postgres",
    participants: 200,
    trials: 60,
    instances: 2,
    fault: "kill-instance",
    fit: true,
    proxy: true,
    description:
      "deploy/ nginx (TLS) → two app instances + a jobs:work worker (running a fit) on PostgreSQL; one instance killed",
  },
];

export const FAULTS = { dropResponse: 0.05, duplicate: 0.05, outOfOrder: 0.05 };
/** The client save queue's coalescing (lib/experiment/save-queue.ts defaults). */
export const FLUSH_EVERY = 6;
export const FLUSH_AFTER_MS = 6000;

/** Completed runs of the study fitted during the load: enough for the fit to outlast it. */
export const FIT_RUNS = 96;

/** A scenario as run: an optional CPU cap on the app server(s), and how participants arrive. */
export type RunSpec = Scenario & { appCpus?: number; arrival: "api" | "browser" };

/** reports/reliability.json key: the scenario, plus the variant when it is not the default. */
export const reportKey = (s: RunSpec) =>
  [s.name, ...variantsOf({ appCpuLimit: s.appCpus, arrival: s.arrival })].join("@");

/** Rows measured on this runtime (`next start`); older rows in the JSON are left out of the docs. */
export const RUNTIME = "next-start";

/** Trial POSTs sent during the arrival burst (first `ms`) vs afterwards. */
export const ARRIVAL_PHASE_MS = 10_000;

/** How a row differs from its main scenario ("cpus-0.5", "browser-arrival"); [] for a main row. */
export function variantsOf(r: { appCpuLimit?: number | null; arrival?: string }): string[] {
  return [
    r.appCpuLimit ? `cpus-${r.appCpuLimit}` : "",
    r.arrival === "browser" ? "browser-arrival" : "",
  ].filter(Boolean);
}
