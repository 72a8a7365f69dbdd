// npm run loadtest [-- --scenario <name>] [--participants N] [--trials N] [--server app|next-start] [--app-cpus F]
//                  [--arrival api|browser]      npm run loadtest -- --rewrite-report (docs from the JSON only)
//
// Simulated participants against the production server (dist/server.mjs, as `npm run start` runs
// it; run `npm run build` first):
// each enters through the recruitment link, then posts its trials at human pace (1–2 s apart)
// through a client queue like the real one, with injected faults — dropped responses, retries,
// duplicates, out-of-order delivery — and finally completes the run. Server-side faults per
// scenario: kill -9 and restart an app server, restart PostgreSQL, two app instances sharing one
// PostgreSQL. Afterwards the database is checked: every trial stored exactly once, every run
// completed. Prints requests/s, p50/p95/p99 latency and errors, and rewrites docs/RELIABILITY.md
// from reports/reliability.json (figures written by this script, not by hand).
//
// --server next-start runs the same build under Next.js's own server (`next start`, every request
// through Next's pipeline) instead of ours, for a paired comparison. --app-cpus 0.5 caps the app
// server(s) at half a core (a Linux cgroup CPU quota), to see the headroom a slower machine has.
// --arrival browser makes each arrival load what a browser with an empty cache loads: the
// experiment page (server-rendered by Next.js, curriculum included) and every script and
// stylesheet it references, six at a time; by default an arrival is the entry link and the
// curriculum from the participant API only.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

import { createRng, type Rng } from "../lib/core/rng";
import { studyConfigSchema } from "../lib/core/study-config";

type ServerKind = "app" | "next-start";

type Scenario = {
  name: string;
  db: "postgres" | "pglite";
  participants: number;
  trials: number;
  instances: number;
  fault: "none" | "kill-app" | "restart-postgres";
  description: string;
};

const SCENARIOS: Scenario[] = [
  {
    name: "postgres",
    db: "postgres",
    participants: 200,
    trials: 100,
    instances: 1,
    fault: "none",
    description: "client faults only, one app on PostgreSQL",
  },
  {
    name: "pglite",
    db: "pglite",
    participants: 50,
    trials: 100,
    instances: 1,
    fault: "none",
    description: "client faults only, embedded PGlite",
  },
  {
    name: "kill-app",
    db: "postgres",
    participants: 100,
    trials: 60,
    instances: 1,
    fault: "kill-app",
    description: "app server killed (SIGKILL) and restarted mid-run, PostgreSQL",
  },
  {
    name: "restart-postgres",
    db: "postgres",
    participants: 100,
    trials: 60,
    instances: 1,
    fault: "restart-postgres",
    description: "PostgreSQL server restarted mid-run",
  },
  {
    name: "two-instances",
    db: "postgres",
    participants: 200,
    trials: 60,
    instances: 2,
    fault: "none",
    description: "two app instances on one PostgreSQL, participants split across them",
  },
];

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const ADMIN_URL = process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const BASE_PORT = Number(arg("port") ?? 3300);
const FAULTS = { dropResponse: 0.05, duplicate: 0.05, outOfOrder: 0.05 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** latencies: trial POST round trips (ms); sentAt: when each was sent (ms since the load started). */
type Stats = {
  latencies: number[];
  sentAt: number[];
  t0: number;
  statuses: Record<string, number>;
  networkErrors: number;
  requests: number;
  pageLoads: number[];
};

/** One app server process (the production server, dist/server.mjs) on a port. */
class AppServer {
  proc: ChildProcess | null = null;
  constructor(
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
    readonly kind: ServerKind,
    readonly cpuLimit: CpuLimit | null,
  ) {}
  async start() {
    const stale = await fetch(`http://127.0.0.1:${this.port}/api/health`).then(
      () => true,
      () => false,
    );
    if (stale)
      throw new Error(
        `port ${this.port} is already serving (a leftover app server?): stop it first`,
      );
    const argv =
      this.kind === "app" ? ["dist/server.mjs"] : ["node_modules/next/dist/bin/next", "start"];
    this.proc = spawn(process.execPath, [...argv, "-p", String(this.port), "-H", "127.0.0.1"], {
      env: this.env,
      stdio: "ignore",
      detached: true,
    });
    if (this.proc.pid) this.cpuLimit?.add(this.proc.pid);
    for (let i = 0; i < 120; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${this.port}/api/health`);
        if (r.ok) return;
      } catch {
        // not up yet
      }
      await sleep(500);
    }
    throw new Error(`app on :${this.port} did not start`);
  }
  kill(signal: NodeJS.Signals = "SIGTERM") {
    if (this.proc?.pid) {
      try {
        process.kill(-this.proc.pid, signal); // the whole process group
      } catch {
        // already gone
      }
    }
    this.proc = null;
  }
  /** Stop and wait until the port no longer answers (SIGKILL after 10 s). */
  async stop() {
    const pid = this.proc?.pid;
    this.kill("SIGTERM");
    for (let i = 0; i < 40; i++) {
      const up = await fetch(`http://127.0.0.1:${this.port}/api/health`).then(
        () => true,
        () => false,
      );
      if (!up) return;
      if (i === 20 && pid) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await sleep(500);
    }
    throw new Error(`app on :${this.port} did not stop`);
  }
}

async function prepareDatabase(
  s: Scenario,
  config: unknown,
): Promise<{
  env: NodeJS.ProcessEnv;
  query: (sql: string) => Promise<Record<string, unknown>[]>;
  drop: () => Promise<void>;
}> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    AUTH_TRUST_HOST: "true",
    AUTH_SECRET: "loadtest-secret-0123456789abcdef",
    NTA_RUN_CREATE_LIMIT: "1000000",
    NTA_JOB_WORKER: "0",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const seedSql = [
    `INSERT INTO "User" ("id","email","passwordHash") VALUES ('load-owner','load@nta.lab','x')`,
    `INSERT INTO "Study" ("id","slug","title","ownerId","config","status","updatedAt") VALUES ('load-study','load','Load test','load-owner','${JSON.stringify(config).replaceAll("'", "''")}','open',now())`,
    `INSERT INTO "Study" ("id","slug","title","ownerId","config","status","updatedAt") VALUES ('warmup-study','warmup','Warm-up','load-owner','${JSON.stringify(config).replaceAll("'", "''")}','open',now())`,
  ];
  if (s.db === "postgres") {
    const name = `nta_load_${Date.now()}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    execFileSync("npx", ["tsx", "--conditions=react-server", "scripts/db.ts", "migrate"], {
      env,
      stdio: "inherit",
    });
    const c = new pg.Client({ connectionString: env.DATABASE_URL });
    await c.connect();
    for (const q of seedSql) await c.query(q);
    await c.end();
    return {
      env,
      query: async (sql) => {
        const q = new pg.Client({
          connectionString: env.DATABASE_URL,
          connectionTimeoutMillis: 10_000,
          query_timeout: 60_000,
        });
        await q.connect();
        const r = await q.query(sql);
        await q.end();
        return r.rows;
      },
      drop: async () => {
        const d = new pg.Client({ connectionString: ADMIN_URL });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await d.end();
      },
    };
  }
  const dir = path.resolve(`.data/load-pglite-${Date.now()}`);
  env.DATABASE_URL = "";
  env.PGLITE_DIR = dir;
  execFileSync("npx", ["tsx", "--conditions=react-server", "scripts/db.ts", "migrate"], {
    env,
    stdio: "inherit",
  });
  const db = new PGlite(dir);
  for (const q of seedSql) await db.exec(q);
  await db.close();
  return {
    env,
    // Only after the app server has stopped: PGlite allows one process per data folder.
    query: async (sql) => {
      const q = new PGlite(dir);
      const r = await q.query<Record<string, unknown>>(sql);
      await q.close();
      return r.rows;
    },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

type Trial = Record<string, unknown> & { trialIndex: number; correctResponse: string };

/** One simulated participant: enter, post trials at human pace with faults, flush, complete. */
const stages = new Map<number, string>();

async function participant(
  i: number,
  base: () => string,
  s: RunSpec,
  stats: Stats,
  rng: Rng,
): Promise<{ token: string; completed: boolean }> {
  stages.set(i, "entering");
  const timed = async (
    url: string,
    init: RequestInit & { dropAfterMs?: number },
    isTrial: boolean,
  ) => {
    stats.requests++;
    const ac = new AbortController();
    const started = performance.now();
    const timer =
      init.dropAfterMs !== undefined
        ? setTimeout(() => ac.abort(), init.dropAfterMs)
        : setTimeout(() => ac.abort(), 15_000);
    try {
      const r = await fetch(url, { ...init, signal: ac.signal, redirect: "manual" });
      const body = await r.text();
      if (isTrial) {
        stats.latencies.push(performance.now() - started);
        stats.sentAt.push(started - stats.t0);
      }
      stats.statuses[r.status] = (stats.statuses[r.status] ?? 0) + 1;
      return { status: r.status, body, headers: r.headers };
    } catch {
      stats.networkErrors++;
      return null;
    } finally {
      clearTimeout(timer);
    }
  };

  let token = "";
  while (!token) {
    const r = await timed(`${base()}/s/load?participant=lp${i}`, {}, false);
    const loc = r?.headers.get("location") ?? "";
    const m = /\/run\/([A-Za-z0-9_-]+)/.exec(loc);
    if (m) token = m[1];
    else await sleep(500 + rng.int(1000));
  }
  if (s.arrival === "browser") {
    stages.set(i, "loading the page");
    const started = performance.now();
    const page = await timed(`${base()}/run/${token}`, {}, false);
    const assets = [
      ...new Set((page?.body ?? "").match(/\/_next\/static\/[^"'\s)]+\.(?:js|css)/g) ?? []),
    ];
    for (let k = 0; k < assets.length; k += 6)
      await Promise.all(assets.slice(k, k + 6).map((a) => timed(`${base()}${a}`, {}, false)));
    stats.pageLoads.push(performance.now() - started);
  }
  stages.set(i, "loading curriculum");
  let trials: Trial[] = [];
  while (trials.length === 0) {
    const r = await timed(`${base()}/api/runs/${token}?include=curriculum`, {}, false);
    if (r?.status === 200) trials = JSON.parse(r.body).curriculum.trials as Trial[];
    else await sleep(1000);
  }
  const post = (batch: Trial[], dropAfterMs?: number) =>
    timed(
      `${base()}/api/runs/${token}/trials`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ trials: batch }),
        dropAfterMs,
      },
      true,
    );
  const record = (t: Trial) => {
    const right = rng.next() < 0.85;
    const response = right ? t.correctResponse : t.correctResponse === "f" ? "j" : "f";
    return {
      ...t,
      response,
      correct: right,
      rtMs: 350 + rng.int(700),
      timeElapsedMs: 1000 * t.trialIndex,
    };
  };

  const unacked = new Map<number, Trial>();
  let held: Trial | null = null;
  for (const t of trials) {
    await sleep(1000 + rng.int(1000)); // human pace: one trial every 1–2 s
    const rec = record(t);
    unacked.set(t.trialIndex, rec);
    if (!held && rng.next() < FAULTS.outOfOrder) {
      held = rec; // deliver after the next trial
      continue;
    }
    const batch = held ? [rec, held] : [rec];
    held = null;
    const drop = rng.next() < FAULTS.dropResponse ? rng.int(5) : undefined; // response lost in flight
    const r = await post(batch, drop);
    if (r?.status === 200) for (const b of batch) unacked.delete(b.trialIndex);
    if (rng.next() < FAULTS.duplicate) await post(batch); // a duplicate delivery
    // A failed send stays queued; the queue retries it with the next trial.
    for (const [idx, pending] of unacked) {
      if (batch.some((b) => b.trialIndex === idx)) continue;
      const rr = await post([pending]);
      if (rr?.status === 200) unacked.delete(idx);
    }
  }
  if (held) unacked.set(held.trialIndex, held);
  stages.set(i, `flushing ${unacked.size}`);
  // Flush what is left with backoff, like the client queue on the end screen.
  for (let attempt = 0; unacked.size > 0 && attempt < 40; attempt++) {
    for (const [idx, pending] of [...unacked]) {
      const r = await post([pending]);
      if (r?.status === 200) unacked.delete(idx);
    }
    if (unacked.size) await sleep(Math.min(8000, 250 * 2 ** attempt));
  }
  stages.set(i, "completing");
  let completed = false;
  for (let attempt = 0; !completed && attempt < 40; attempt++) {
    const r = await timed(`${base()}/api/runs/${token}/complete`, { method: "POST" }, false);
    completed = r?.status === 200;
    if (!completed) await sleep(Math.min(8000, 250 * 2 ** attempt));
  }
  stages.set(i, completed ? "done" : "gave up");
  return { token, completed };
}

/** One quick participant on the warm-up study: every participant route, no pacing, no faults. */
async function warmUp(base: string, id: number) {
  for (let i = 0; i < 3; i++) {
    const entry = await fetch(`${base}/s/warmup?participant=warm${id}-${i}`, {
      redirect: "manual",
    });
    const match = /\/run\/([A-Za-z0-9_-]+)/.exec(entry.headers.get("location") ?? "");
    if (!match)
      throw new Error(
        `warm-up entry on ${base} answered ${entry.status} ${entry.headers.get("location") ?? ""}: ${(await entry.text()).slice(0, 300)}`,
      );
    const token = match[1];
    const { curriculum } = (await (
      await fetch(`${base}/api/runs/${token}?include=curriculum`)
    ).json()) as { curriculum: { trials: Trial[] } };
    for (const t of curriculum.trials) {
      const rec = { ...t, response: t.correctResponse, correct: true, rtMs: 500, timeElapsedMs: 0 };
      await fetch(`${base}/api/runs/${token}/trials`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ trials: [rec] }),
      });
      if (t.trialIndex % 20 === 0)
        await fetch(`${base}/api/runs/${token}/heartbeat`, { method: "POST" });
    }
    await fetch(`${base}/api/runs/${token}/complete`, { method: "POST" });
  }
}

/** A scenario as run: which server, and an optional CPU cap on the app server(s). */
type RunSpec = Scenario & { server: ServerKind; appCpus?: number; arrival: "api" | "browser" };

/** reports/reliability.json key: the scenario, plus the variant when it is not the default. */
const reportKey = (s: RunSpec) =>
  [s.name, ...variantsOf({ server: s.server, appCpuLimit: s.appCpus, arrival: s.arrival })].join(
    "@",
  );

type CpuLimit = { add: (pid: number) => void; remove: () => Promise<void> };

/**
 * A Linux cgroup with a CPU quota of `cpus` cores for the app server processes (cgroup v2
 * cpu.max, or v1 cpu.cfs_quota_us). Needs write access to /sys/fs/cgroup (root on these machines).
 */
function createCpuLimit(cpus: number): CpuLimit {
  if (!(cpus > 0 && cpus <= 64))
    throw new Error(`--app-cpus must be a positive number of cores, got ${cpus}`);
  const period = 100_000;
  const quota = Math.round(cpus * period);
  const name = `nta-loadtest-${process.pid}`;
  const v2 =
    fs.existsSync("/sys/fs/cgroup/cgroup.controllers") &&
    fs.readFileSync("/sys/fs/cgroup/cgroup.controllers", "utf8").includes("cpu");
  const dir = v2 ? `/sys/fs/cgroup/${name}` : `/sys/fs/cgroup/cpu/${name}`;
  try {
    fs.mkdirSync(dir);
    if (v2) fs.writeFileSync(`${dir}/cpu.max`, `${quota} ${period}`);
    else {
      fs.writeFileSync(`${dir}/cpu.cfs_period_us`, String(period));
      fs.writeFileSync(`${dir}/cpu.cfs_quota_us`, String(quota));
    }
  } catch (err) {
    throw new Error(
      `--app-cpus needs a writable cgroup CPU controller (tried ${dir}): ${(err as Error).message}`,
      { cause: err },
    );
  }
  return {
    add: (pid) => fs.writeFileSync(`${dir}/cgroup.procs`, String(pid)), // children (Next's workers) inherit it
    // A group can only be removed once its processes have exited, which may lag the port closing.
    remove: async () => {
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          return fs.rmdirSync(dir);
        } catch {
          await sleep(250);
        }
      }
      console.warn(`[loadtest] could not remove ${dir} (processes still in it?)`);
    },
  };
}

async function runScenario(s: RunSpec) {
  const calibrationMs = cpuCalibrationMs();
  console.log(
    `\n=== ${reportKey(s)}: ${s.participants} participants × ${s.trials} trials, ${s.description}; server ${s.server}${s.appCpus ? `, app capped at ${s.appCpus} CPU` : ""}; CPU calibration ${calibrationMs} ms`,
  );
  const perBlock = 20;
  if (s.trials % perBlock !== 0 || s.trials < 2 * perBlock)
    throw new Error(`--trials must be a multiple of ${perBlock}, at least ${2 * perBlock}`);
  const config = studyConfigSchema.parse({
    blocks: s.trials / perBlock,
    trialsPerBlock: perBlock,
    practice: { trials: 0 },
    model: { presets: [] },
  });
  const db = await prepareDatabase(s, config);
  const cpuLimit = s.appCpus ? createCpuLimit(s.appCpus) : null;
  const servers = Array.from(
    { length: s.instances },
    (_, i) => new AppServer(BASE_PORT + i, db.env, s.server, cpuLimit),
  );
  await Promise.all(servers.map((srv) => srv.start()));
  // Warm every route on every instance first (a production server is warm; Next.js loads route
  // code on first use). The warm-up participants use their own study, outside the check.
  for (const srv of servers) await warmUp(`http://127.0.0.1:${srv.port}`, srv.port);
  const started = performance.now();
  const stats: Stats = {
    latencies: [],
    sentAt: [],
    t0: started,
    statuses: {},
    networkErrors: 0,
    requests: 0,
    pageLoads: [],
  };
  const faultLog: string[] = [];
  const expectedMs = s.trials * 1500;
  const fault = (async () => {
    if (s.fault === "kill-app") {
      await sleep(expectedMs * 0.3);
      servers[0].kill("SIGKILL");
      faultLog.push(
        `app killed (SIGKILL) at ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      await sleep(3000);
      await servers[0].start();
      faultLog.push(`app restarted at ${((performance.now() - started) / 1000).toFixed(0)} s`);
    } else if (s.fault === "restart-postgres") {
      await sleep(expectedMs * 0.4);
      const version = fs.readdirSync("/etc/postgresql")[0];
      execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"], {
        stdio: "inherit",
      });
      faultLog.push(
        `PostgreSQL restarted at ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
  })();
  const watchdog = setInterval(() => {
    const open = [...stages].filter(([, st]) => st !== "done");
    if (open.length && open.length <= 5)
      console.log(
        `[loadtest] ${((performance.now() - started) / 1000).toFixed(0)} s, still running: ${open.map(([i, st]) => `#${i} ${st}`).join(", ")}`,
      );
  }, 15_000);
  const results = await Promise.all(
    Array.from({ length: s.participants }, async (_, i) => {
      await sleep(createRng(i).int(3000)); // participants arrive over a few seconds
      const base = () => `http://127.0.0.1:${servers[i % s.instances].port}`;
      return participant(i, base, s, stats, createRng(1000 + i));
    }),
  );
  clearInterval(watchdog);
  console.log("[loadtest] participants finished; waiting for the fault injector");
  await fault;
  console.log("[loadtest] checking the database");
  const wallS = (performance.now() - started) / 1000;
  await Promise.all(servers.map((srv) => srv.stop()));
  await cpuLimit?.remove();

  const expectedRows = s.participants * s.trials;
  const [{ rows, runs, completed }] = await db.query(
    `SELECT (SELECT count(*)::int FROM "Trial" t JOIN "Run" r ON r.id = t."runId" WHERE r."studyId" = 'load-study') AS rows,
            (SELECT count(*)::int FROM "Run" WHERE "studyId" = 'load-study') AS runs,
            (SELECT count(*)::int FROM "Run" WHERE "studyId" = 'load-study' AND status = 'completed') AS completed`,
  );
  const bad = await db.query(
    `SELECT r.token, count(t."trialIndex")::int AS n, count(DISTINCT t."trialIndex")::int AS distinct_n,
            coalesce(max(t."trialIndex"), -1)::int AS max_index
       FROM "Run" r LEFT JOIN "Trial" t ON t."runId" = r.id WHERE r."studyId" = 'load-study' GROUP BY r.token
     HAVING count(t."trialIndex") <> ${s.trials} OR count(DISTINCT t."trialIndex") <> ${s.trials} OR coalesce(max(t."trialIndex"), -1) <> ${s.trials - 1}`,
  );
  await db.drop();
  const lost = expectedRows - Number(rows);
  const summary = {
    scenario: s.name,
    key: reportKey(s),
    cpuCalibrationMs: calibrationMs,
    server: s.server,
    appCpuLimit: s.appCpus ?? null,
    arrival: s.arrival,
    description: s.description,
    db: s.db,
    instances: s.instances,
    participants: s.participants,
    trialsEach: s.trials,
    faults: { client: FAULTS, server: faultLog },
    wallSeconds: Number(wallS.toFixed(1)),
    requests: stats.requests,
    requestsPerSecond: Number((stats.requests / wallS).toFixed(1)),
    trialPostLatencyMs: {
      p50: Number(percentile(stats.latencies, 50).toFixed(1)),
      p95: Number(percentile(stats.latencies, 95).toFixed(1)),
      p99: Number(percentile(stats.latencies, 99).toFixed(1)),
      max: Number(Math.max(...stats.latencies).toFixed(1)),
      // Diagnostic only (the figures above cover every trial POST): the participants arrive within
      // 3 s, so their entries and curriculum loads pile up in the first seconds.
      byPhase: latencyByPhase(stats, ARRIVAL_PHASE_MS),
    },
    // browser arrivals: page + its scripts and stylesheets, per participant (ms)
    pageLoadMs: stats.pageLoads.length
      ? {
          p50: Number(percentile(stats.pageLoads, 50).toFixed(1)),
          p99: Number(percentile(stats.pageLoads, 99).toFixed(1)),
          max: Number(Math.max(...stats.pageLoads).toFixed(1)),
        }
      : null,
    statuses: stats.statuses,
    networkErrors: stats.networkErrors,
    check: {
      runs: Number(runs),
      runsCompleted: Number(completed),
      clientsCompleted: results.filter((r) => r.completed).length,
      trialRows: Number(rows),
      expectedTrialRows: expectedRows,
      lost,
      duplicatedOrMisplacedRuns: bad.length,
      pass:
        lost === 0 &&
        bad.length === 0 &&
        Number(completed) === s.participants &&
        Number(runs) === s.participants,
    },
    measuredAt: new Date().toISOString(),
  };
  console.log(JSON.stringify(summary, null, 2));
  return summary;
}

/** Trial POSTs sent during the arrival burst (first `ms`) vs afterwards: count, p50, p99. */
const ARRIVAL_PHASE_MS = 10_000;
function latencyByPhase(stats: Stats, ms: number) {
  const part = (keep: (t: number) => boolean) => {
    const l = stats.latencies.filter((_, i) => keep(stats.sentAt[i]));
    return {
      requests: l.length,
      p50: Number(percentile(l, 50).toFixed(1)),
      p99: Number(percentile(l, 99).toFixed(1)),
    };
  };
  return { [`first ${ms / 1000} s`]: part((t) => t < ms), rest: part((t) => t >= ms) };
}

function writeReport(all: Record<string, ReturnType<typeof Object>>) {
  fs.mkdirSync("reports", { recursive: true });
  fs.writeFileSync("reports/reliability.json", `${JSON.stringify(all, null, 2)}\n`);
  type Row = Awaited<ReturnType<typeof runScenario>>;
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
    "The model-stream job worker is off during the load (NTA_JOB_WORKER=0); completions only queue the jobs.",
    "Each app instance is warmed up first by three unpaced participants on a separate study (not counted).",
    "",
    "The app server is the production server (`npm run start`, server/main.ts): participant routes are answered by their",
    "app/ route handlers straight from Node's http server, everything else by Next.js. Rows marked `next-start` ran the same",
    "build under Next.js's own server (every request through Next's pipeline), for comparison; rows marked `cpus-F` capped",
    "the app server at F cores with a cgroup CPU quota (how a slower machine would fare); rows marked `browser-arrival` had each",
    "arrival also load the experiment page (rendered by Next.js, curriculum included) and every script and stylesheet it",
    "references, as a browser with an empty cache does.",
    "",
    "CPU calibration (a fixed single-threaded JS loop timed before each scenario, lower = faster machine; this project's",
    "2-core hosts have measured from about 200 to 520 ms, sometimes within one session): " +
      rows.map((r) => `${label(r)} ${r.cpuCalibrationMs ?? "not recorded"} ms`).join(", ") +
      ".",
    "",
    "| scenario | server | db | app instances | participants × trials | server fault | req/s | trial POST p50 / p95 / p99 ms | HTTP errors | network errors | trials stored / expected | lost | duplicated | runs completed | check |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const httpErrors =
        Object.entries(r.statuses)
          .filter(([k]) => Number(k) >= 400)
          .map(([k, v]) => `${v}×${k}`)
          .join(", ") || "0";
      const server = `${r.server ?? "next-start"}${r.appCpuLimit ? `, ${r.appCpuLimit} CPU` : ""}`;
      return `| ${label(r)} | ${server} | ${r.db} | ${r.instances} | ${r.participants} × ${r.trialsEach} | ${r.faults.server.join("; ") || "none"} | ${r.requestsPerSecond} | ${r.trialPostLatencyMs.p50} / ${r.trialPostLatencyMs.p95} / ${r.trialPostLatencyMs.p99} | ${httpErrors} | ${r.networkErrors} | ${r.check.trialRows} / ${r.check.expectedTrialRows} | ${r.check.lost} | ${r.check.duplicatedOrMisplacedRuns} | ${r.check.runsCompleted} / ${r.participants} | ${r.check.pass ? "PASS" : "FAIL"} |`;
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
    'dropped responses and refused connections while an app server was down. "lost" and "duplicated" come from the database check after the run.',
    "",
  ].join("\n");
  fs.writeFileSync("docs/RELIABILITY.md", md);
}

/** How a row differs from its main scenario ("next-start", "cpus-0.5", "browser-arrival"); [] for a main row. */
function variantsOf(r: {
  server?: string;
  appCpuLimit?: number | null;
  arrival?: string;
}): string[] {
  return [
    r.server === "next-start" ? "next-start" : "",
    r.appCpuLimit ? `cpus-${r.appCpuLimit}` : "",
    r.arrival === "browser" ? "browser-arrival" : "",
  ].filter(Boolean);
}

/**
 * A fixed single-threaded JS workload timed on an idle machine before the load: machines differ
 * (this project's 2-core hosts have measured ≈ 1.8× apart), so latency figures carry it along.
 */
function cpuCalibrationMs(): number {
  const t = performance.now();
  let x = 0;
  for (let i = 1; i < 30_000_000; i++) x += Math.sqrt(i) % 7;
  if (x < 0) console.log(x); // keep the loop
  return Number((performance.now() - t).toFixed(0));
}

async function main() {
  const only = arg("scenario");
  const server = (arg("server") ?? "app") as ServerKind;
  if (server !== "app" && server !== "next-start")
    throw new Error(`--server must be app or next-start, got ${server}`);
  const appCpus = arg("app-cpus") !== undefined ? Number(arg("app-cpus")) : undefined;
  const arrival = (arg("arrival") ?? "api") as RunSpec["arrival"];
  if (arrival !== "api" && arrival !== "browser")
    throw new Error(`--arrival must be api or browser, got ${arrival}`);
  const chosen: RunSpec[] = SCENARIOS.filter((s) => !only || s.name === only).map((s) => ({
    ...s,
    server,
    appCpus,
    arrival,
    participants: Number(arg("participants") ?? s.participants),
    trials: Number(arg("trials") ?? s.trials),
  }));
  if (chosen.length === 0)
    throw new Error(`unknown scenario "${only}" (${SCENARIOS.map((s) => s.name).join(", ")})`);
  const file = "reports/reliability.json";
  const all: Record<string, unknown> = fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, "utf8"))
    : {};
  if (args.includes("--rewrite-report")) {
    writeReport(all as Record<string, ReturnType<typeof Object>>);
    console.log(`rewrote docs/RELIABILITY.md from ${file}`);
    return;
  }
  if (!fs.existsSync(".next/BUILD_ID") || !fs.existsSync("dist/server.mjs"))
    throw new Error("no production build: run `npm run build` first");
  let failed = false;
  for (const s of chosen) {
    const summary = await runScenario(s);
    all[summary.key] = summary;
    writeReport(all as Record<string, ReturnType<typeof Object>>);
    failed ||= !summary.check.pass;
  }
  console.log(`\nwrote docs/RELIABILITY.md and ${file}`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
