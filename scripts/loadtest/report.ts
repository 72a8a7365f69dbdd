// docs/RELIABILITY.md and reports/reliability.json from the load test's summaries (written after
// every scenario, and by `npm run loadtest -- --rewrite-report` from the JSON alone).
import fs from "node:fs";

import type { ScenarioSummary } from "../loadtest";

import {
  ARRIVAL_PHASE_MS,
  FAULTS,
  FIT_RUNS,
  FLUSH_AFTER_MS,
  FLUSH_EVERY,
  SCENARIOS,
  variantsOf,
} from "./scenarios";

export function writeReport(all: Record<string, ReturnType<typeof Object>>) {
  fs.mkdirSync("reports", { recursive: true });
  fs.writeFileSync("reports/reliability.json", `${JSON.stringify(all, null, 2)}\n`);
  type Row = ScenarioSummary;
  // Main scenarios first (the acceptance figures), then the comparison variants.
  const rows = (Object.values(all) as Row[]).sort(
    (a, b) =>
      variantsOf(a).length - variantsOf(b).length ||
      SCENARIOS.findIndex((s) => s.name === a.scenario) -
        SCENARIOS.findIndex((s) => s.name === b.scenario),
  );
  const label = (r: Row) =>
    `${r.scenario}${variantsOf(r).length ? ` (${variantsOf(r).join(", ")})` : ""}`;
  const md = [
    "# Reliability: measured figures",
    "",
    "Written by `npm run loadtest` (scripts/loadtest.ts) from `reports/reliability.json`; do not edit by hand.",
    "Machine: 2 cores, load generator, app server(s) and database on the same host. Participants post one trial every",
    `1–2 s through a client queue with injected faults: ${FAULTS.dropResponse * 100}% of responses dropped in flight (request aborted after it was sent),`,
    `${FAULTS.duplicate * 100}% of deliveries duplicated, ${FAULTS.outOfOrder * 100}% of trials delivered after the next one; unacknowledged trials are retried with backoff.`,
    "All participants arrive within the first 3 s (entry link, then the curriculum), then post at human pace.",
    `Like the real client save queue, each participant sends its trials ${FLUSH_EVERY} at a time or after ${FLUSH_AFTER_MS / 1000} s, whichever comes first.`,
    "Each app instance is warmed up first by three unpaced participants on a separate study (not counted).",
    "",
    "The app server is Next.js's own (`next start`, as `npm run start` runs it). Scenarios with a fit queue a study-wide fit",
    `of ${FIT_RUNS} completed runs on another study before the participants arrive and measure while it runs: on the same`,
    "instance (its job worker, the fit's CPU work in a worker thread) or, behind the proxy, in the `npm run jobs:work` process;",
    "otherwise the job worker is off (NTA_JOB_WORKER=0). The proxy scenario is the deploy/ set-up: nginx with TLS (self-signed",
    "certificate) in front of two app instances, participants through nginx; one instance is killed mid-run and stays down.",
    "Rows marked `cpus-F` capped the app server at F cores with a cgroup CPU quota (how a slower machine would fare); rows",
    "marked `browser-arrival` had each arrival also load the experiment page (server-rendered, curriculum included) and every",
    "script and stylesheet it references, as a browser with an empty cache does.",
    "",
    "CPU calibration (a fixed single-threaded JS loop timed before each scenario, lower = faster machine; this project's",
    "2-core hosts have measured from about 200 to 520 ms, sometimes within one session): " +
      rows.map((r) => `${label(r)} ${r.cpuCalibrationMs ?? "not recorded"} ms`).join(", ") +
      ".",
    "",
    "| scenario | topology | db | study fit during the load | participants × trials | server fault | req/s | trial POST p50 / p95 / p99 ms | HTTP errors | network errors | trials stored / expected | lost | duplicated | runs completed | check |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const httpErrors =
        Object.entries(r.statuses)
          .filter(([k]) => Number(k) >= 400)
          .map(([k, v]) => `${v}×${k}`)
          .join(", ") || "0";
      const topology = `${r.topology}${r.appCpuLimit ? `, ${r.appCpuLimit} CPU` : ""}`;
      const f = r.fitDuringLoad;
      const fit = f
        ? `${f.statusAtEnd === "running" ? "running throughout" : `${f.statusAtEnd} after ${f.secondsOfLoadCovered} of ${f.loadSeconds} s`} (${Math.round(f.progressAtEnd * 100)}% of ${f.runs} runs at the end)`
        : "none";
      return `| ${label(r)} | ${topology} | ${r.db} | ${fit} | ${r.participants} × ${r.trialsEach} | ${r.faults.server.join("; ") || "none"} | ${r.requestsPerSecond} | ${r.trialPostLatencyMs.p50} / ${r.trialPostLatencyMs.p95} / ${r.trialPostLatencyMs.p99} | ${httpErrors} | ${r.networkErrors} | ${r.check.trialRows} / ${r.check.expectedTrialRows} | ${r.check.lost} | ${r.check.duplicatedOrMisplacedRuns} | ${r.check.runsCompleted} / ${r.participants} | ${r.check.pass ? "PASS" : "FAIL"} |`;
    }),
    "",
    `Latency by phase (diagnostic; the table above covers every trial POST): trial POSTs sent in the first ${ARRIVAL_PHASE_MS / 1000} s — while all participants arrive, enter and load their curricula — vs afterwards (count, p50 / p99 ms):`,
    "",
    ...rows.map((r) => {
      const b = r.trialPostLatencyMs.byPhase as
        Record<string, { requests: number; p50: number; p99: number }> | undefined;
      return `- ${label(r)}: ${
        b
          ? Object.entries(b)
              .map(([k, v]) => `${k}: ${v.requests} POSTs, ${v.p50} / ${v.p99}`)
              .join("; ")
          : "not recorded"
      }`;
    }),
    ...(rows.some((r) => r.pageLoadMs)
      ? [
          "",
          "Page loads of browser arrivals (the page and its scripts and stylesheets, p50 / p99 / max ms):",
          "",
          ...rows
            .filter((r) => r.pageLoadMs)
            .map(
              (r) =>
                `- ${label(r)}: ${r.pageLoadMs!.p50} / ${r.pageLoadMs!.p99} / ${r.pageLoadMs!.max}`,
            ),
        ]
      : []),
    "",
    "HTTP errors are answers the clients then retried (e.g. 500/503 while the database restarted); network errors include the deliberately",
    'dropped responses and refused connections while an app server was down. "lost" and "duplicated" come from the database check after the run;',
    "a check also needs every run completed, and where a scenario has a latency target (postgres: trial-POST p99 ≤ 100 ms), that target met.",
    "",
  ].join("\n");
  fs.writeFileSync("docs/RELIABILITY.md", md);
}
