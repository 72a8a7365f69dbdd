// npm run fit:recovery -- --zoo [--n 20] [--seed 12] [--threads N] [--link ddm|choice]
//   [--generators a,b] [--out reports/fit-recovery/zoo]
// The generator zoo report (docs/generators.md): --n participants per generator on the default
// 480-trial study, each generated on its own curriculum, checked for data quality, its practice
// effect estimated, every model fitted; participants run in worker threads (default: one per
// core), progress on stdout. Writes <out>/README.md, summary.json and SVG plots. Each participant's
// result is cached under node_modules/.cache/nta-fit-zoo/ keyed by the job and a hash of the code
// it ran (lib/model, lib/core): an interrupted run, or one generator at a time (--generators),
// resumes without refitting; any code change refits. --no-cache ignores the cache.
import { execSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { type GroupEstimate, type SlopeEstimate } from "@/lib/core/group-stats";
import { QUALITY_THRESHOLDS } from "@/lib/core/quality";
import { GENERATORS, getGenerator } from "@/lib/model/fit/generators";
import { INIT_SEEDS } from "@/lib/model/fit/participant";
import type { Theta } from "@/lib/model/fit/transforms";
import { type ZooJob, type ZooResult, groupInformZoo } from "@/lib/model/fit/zoo";
import {
  type GeneratorSummary,
  HIGH_ACCURACY,
  type ZooCheck,
  summariseGenerator,
  zooChecks,
} from "@/lib/model/fit/zoo-summary";
import { spawnTsWorker } from "@/lib/model/paper-threads";
import { codeVersion } from "@/lib/server/version";

const { values } = parseArgs({
  options: {
    zoo: { type: "boolean" },
    n: { type: "string", default: "20" },
    seed: { type: "string", default: "12" },
    threads: { type: "string" },
    link: { type: "string", default: "ddm" },
    generators: { type: "string" },
    inits: { type: "string" },
    out: { type: "string", default: "reports/fit-recovery/zoo" },
    "no-cache": { type: "boolean" },
    /** Report from the cached participants only (nothing is fitted): a stopped run's partial report. */
    "cached-only": { type: "boolean" },
  },
});
const n = Number(values.n),
  seed = Number(values.seed);
if (!(Number.isInteger(n) && n >= 1))
  throw new Error(`--n must be a positive integer, got ${values.n}`);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
if (values.link !== "ddm" && values.link !== "choice")
  throw new Error(`--link must be ddm or choice, got ${values.link}`);
const link = values.link;
const names = values.generators
  ? values.generators.split(",").map((s) => getGenerator(s.trim()).name)
  : GENERATORS.map((g) => g.name);
const threads = Math.max(1, Number(values.threads ?? availableParallelism()));
const initSeeds = values.inits ? Number(values.inits) : INIT_SEEDS;

// participant-major order: a run stopped early has every generator with fewer participants
const jobs: ZooJob[] = Array.from({ length: n }, (_, index) =>
  names.map((generator): ZooJob => ({
    generator,
    index,
    seed,
    generatorPosition: GENERATORS.findIndex((g) => g.name === generator),
    link,
    initSeeds,
  })),
).flat();

/** The code this run starts with (read now: the fits run the code loaded at the start, even if the
 * checkout moves on while they run). fitCode: the last commit that changed the fit code itself. */
const startedWith = {
  codeVersion: codeVersion(),
  fitCode: (() => {
    try {
      return execSync(
        "git log -1 --format='%h %s' -- lib/model/fit ':!lib/model/fit/generators' ':!lib/model/fit/zoo*'",
        { stdio: ["ignore", "pipe", "ignore"] },
      )
        .toString()
        .trim()
        .slice(0, 160);
    } catch {
      return "unknown";
    }
  })(),
};

/** Hash of the source the results depend on (the fit, the generators, flags and statistics). */
function codeHash(): string {
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
        h.update(p).update(fs.readFileSync(p));
    }
  };
  walk("lib/model");
  walk("lib/core");
  return h.digest("hex").slice(0, 16);
}
const cacheRoot = path.join("node_modules", ".cache", "nta-fit-zoo");
/** --cached-only: the newest cache when the current code has none (reported as the code hash used). */
function newestCache(): string | null {
  if (!fs.existsSync(cacheRoot)) return null;
  const dirs = fs
    .readdirSync(cacheRoot)
    .map((d) => ({ d, t: fs.statSync(path.join(cacheRoot, d)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  return dirs[0]?.d ?? null;
}
const currentHash = codeHash();
const hash =
  values["cached-only"] && !fs.existsSync(path.join(cacheRoot, currentHash))
    ? (newestCache() ?? currentHash)
    : currentHash;
const cacheDir = path.join(cacheRoot, hash);
const cacheFile = (j: ZooJob) =>
  path.join(cacheDir, `${j.generator}-${j.index}-s${j.seed}-${j.link}-i${j.initSeeds}.json`);
const cached = new Map<ZooJob, ZooResult>();
if (!values["no-cache"])
  for (const j of jobs)
    if (fs.existsSync(cacheFile(j)))
      cached.set(j, JSON.parse(fs.readFileSync(cacheFile(j), "utf8")) as ZooResult);

console.log(
  `Zoo: ${names.length} generators × ${n} participants = ${jobs.length} fits (${cached.size} cached, code ${hash}), ${threads} worker threads, link ${link}, seed ${seed}`,
);
const t0 = performance.now();
fs.mkdirSync(cacheDir, { recursive: true });
const fitted = [
  ...cached.values(),
  ...(values["cached-only"]
    ? []
    : await runPool(
        jobs.filter((j) => !cached.has(j)),
        threads,
      )),
].sort((a, b) =>
  a.generator === b.generator
    ? a.index - b.index
    : names.indexOf(a.generator) - names.indexOf(b.generator),
);
// group-informed estimates per NTA generator (hierarchical.ts): not cached, they take a minute or two
const tGroup = performance.now();
const informed = await groupInformZoo(
  fitted,
  (r) => jobs.find((j) => j.generator === r.generator && j.index === r.index)!,
  (g, f, msg) => {
    if (Math.round(f * 100) % 10 === 0) console.log(`  ${g}: ${msg}`);
  },
);
const groupS = (performance.now() - tGroup) / 1000;
const results = informed;
const wallS = (performance.now() - t0) / 1000;

/** Who computed the cached fits (written by the run that fitted them; read by --cached-only). */
type FitOrigin = { codeVersion: string; fitCode: string; wallS: number };
const originFile = path.join(cacheDir, "origin.json");
const origin: FitOrigin | null = fs.existsSync(originFile)
  ? (JSON.parse(fs.readFileSync(originFile, "utf8")) as FitOrigin)
  : null;

const summaries = names.map((g) =>
  summariseGenerator(
    g,
    results.filter((r) => r.generator === g),
  ),
);
const checks = zooChecks(summaries);
const meta = {
  command: `npm run fit:recovery -- --zoo --n ${n} --seed ${seed} --link ${link}${values.generators ? ` --generators ${names.join(",")}` : ""}`,
  n,
  seed,
  link,
  initSeeds,
  threads,
  wallS,
  /** Of wallS: the group-informed estimates (hierarchical.ts), recomputed on every run. */
  groupS,
  codeVersion: startedWith.codeVersion,
  /** The last commit that changed the fit code itself (lib/model/fit without the zoo's own files). */
  fitCode: startedWith.fitCode,
  codeHash: hash,
  currentCodeHash: currentHash,
  /** --cached-only: the run that fitted the cached participants, when it recorded itself. */
  fittedBy: values["cached-only"] ? origin : null,
  cachedResults: cached.size,
  partial:
    values["cached-only"] && cached.size < jobs.length
      ? `${cached.size} of ${jobs.length} participants (cached-only report of a stopped run)`
      : null,
  trials: 480,
  qualityThresholds: QUALITY_THRESHOLDS,
};
if (!values["cached-only"] && cached.size < jobs.length)
  fs.writeFileSync(
    originFile,
    JSON.stringify({
      codeVersion: meta.codeVersion,
      fitCode: meta.fitCode,
      wallS: wallS - groupS,
    } satisfies FitOrigin),
  );
const out = values.out;
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
  path.join(out, "summary.json"),
  JSON.stringify({ meta, checks, summaries, participants: results.map(compact) }, null, 1) + "\n",
);
fs.writeFileSync(path.join(out, "README.md"), markdown(summaries, checks));
fs.writeFileSync(path.join(out, "practice-effects.svg"), forestSvg(results, names));
fs.writeFileSync(path.join(out, "verdicts.svg"), verdictSvg(summaries));
const nta = results.filter((r) => r.theta);
if (nta.length) fs.writeFileSync(path.join(out, "nta-recovery.svg"), recoverySvg(nta));
console.log(markdown(summaries, checks));
console.log(`Wrote ${out}/ (${wallS.toFixed(0)} s)`);

/** Runs the jobs over `k` worker threads, one job per worker at a time; prints progress. */
async function runPool(all: ZooJob[], k: number): Promise<ZooResult[]> {
  const queue = all.slice();
  const done: ZooResult[] = [];
  const started = performance.now();
  const entry = new URL("../lib/model/fit/zoo-worker.ts", import.meta.url);
  const workers = Array.from({ length: Math.min(k, all.length) }, () => spawnTsWorker(entry, {}));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const next = () => {
            const job = queue.shift();
            if (!job) {
              w.postMessage({ type: "stop" });
              void w.terminate();
              return resolve();
            }
            w.postMessage({ type: "job", job });
          };
          w.on(
            "message",
            (
              m:
                | { type: "ready" }
                | { type: "progress" }
                | { type: "done"; result: ZooResult }
                | { type: "error"; message: string },
            ) => {
              if (m.type === "ready") next();
              else if (m.type === "done") {
                done.push(m.result);
                const j = all.find(
                  (x) => x.generator === m.result.generator && x.index === m.result.index,
                )!;
                fs.writeFileSync(cacheFile(j), JSON.stringify(m.result));
                const r = m.result;
                const el = (performance.now() - started) / 1000;
                const eta = (el / done.length) * (all.length - done.length);
                console.log(
                  `[${done.length}/${all.length}] ${r.generator.padEnd(17)} #${String(r.index).padStart(2)} acc ${r.accuracy.toFixed(2)} ${r.quality.flagged ? `FLAGGED (${r.quality.codes.join(",")})` : "ok"} → ${r.verdict.summary}  (${(r.wallMs / 1000).toFixed(1)} s; elapsed ${el.toFixed(0)} s, ETA ${eta.toFixed(0)} s)`,
                );
                next();
              } else if (m.type === "error") reject(new Error(m.message));
            },
          );
          w.on("error", reject);
        }),
    ),
  );
  return done;
}

function compact(r: ZooResult) {
  const round = (o: Record<string, number | undefined>) =>
    Object.fromEntries(
      Object.entries(o).map(([k, v]) => [k, v === undefined ? null : +v.toPrecision(4)]),
    );
  const slope = (s: SlopeEstimate | null) =>
    s ? { slope: +s.slope.toPrecision(4), ci: s.ci.map((v) => +v.toPrecision(4)) } : null;
  return {
    generator: r.generator,
    index: r.index,
    seeds: r.seeds,
    accuracy: +r.accuracy.toFixed(4),
    params: round(r.params),
    theta: r.theta ? round(r.theta) : null,
    quality: r.quality,
    practice: {
      error: slope(r.practice.error),
      rt: slope(r.practice.rt),
      notEstimable: r.practice.notEstimable,
    },
    verdict: r.verdict,
    fits: Object.fromEntries(
      Object.entries(r.fits).map(([m, f]) => [
        m,
        {
          bic: +f.bic.toFixed(2),
          theta: round(f.theta),
          intervals: f.intervals,
          atBound: f.atBound,
        },
      ]),
    ),
    groupInformed: r.groupInformed
      ? { theta: round(r.groupInformed.theta), quantities: round(r.groupInformed.quantities) }
      : null,
    wallS: +(r.wallMs / 1000).toFixed(2),
  };
}

function markdown(ss: GeneratorSummary[], cs: ZooCheck[]): string {
  const pct = (a: number, b: number) => `${a}/${b}`;
  const ci = (g: GroupEstimate | null, digits = 3) =>
    g
      ? `${g.mean.toFixed(digits)} [${g.ci[0].toFixed(digits)}, ${g.ci[1].toFixed(digits)}]`
      : "n/a";
  const t = (
    x: { falls: number; includesZero: number; rises: number; notEstimable: number } | null,
  ) => (x ? `${x.falls} / ${x.includesZero} / ${x.rises} / ${x.notEstimable}` : "not reported");
  const models = [...new Set(ss.flatMap((s) => s.bms?.models ?? []))];
  return [
    `# Generator zoo: what the fits say about participants who are not (all) the NTA model`,
    "",
    `\`${meta.command}\` — ${meta.n} participants per generator, default study (20 blocks × 24 = 480 trials, each participant on their own curriculum), link \`${meta.link}\`, ${meta.initSeeds} initialisations, ${meta.threads} worker threads, wall ${meta.wallS.toFixed(0)} s (of which group-informed estimates ${meta.groupS.toFixed(0)} s). App version ${meta.codeVersion}; fit code: last changed in \`${meta.fitCode}\`. Generators: docs/generators.md; flags: docs/quality.md; practice effect and BMS: docs/group-stats.md.`,
    "",
    ...(meta.partial ? [`**Partial report: ${meta.partial}.**`, ""] : []),
    ...(meta.codeHash !== meta.currentCodeHash || meta.fittedBy
      ? [
          `**Report written from cached fits** (code hash ${meta.codeHash}${meta.fittedBy ? `, fitted by app version ${meta.fittedBy.codeVersion}, fit code \`${meta.fittedBy.fitCode}\`, wall ${meta.fittedBy.wallS.toFixed(0)} s` : ""}); this checkout's code hash is ${meta.currentCodeHash}${meta.codeHash !== meta.currentCodeHash ? " — lib/model or lib/core changed since the fits: rerun without --cached-only to refit" : ""}. The summary, the checks and the group-informed estimates are this checkout's.`,
          "",
        ]
      : []),
    "## Acceptance checks",
    "",
    "| check | value | target | |",
    "|---|---|---|---|",
    ...cs.map(
      (c) =>
        `| ${c.check} | ${c.value} | ${c.target} | ${c.pass === null ? "report" : c.pass ? "pass" : "**FAIL**"} |`,
    ),
    "",
    "## Verdicts per generator",
    "",
    `Verdict labels and strength from the fit (lib/model/fit/compare.ts): "strong" = |ΔBIC flexible vs forgetful| > 6, capped at "weak" when the fit calls the participant misfit (a descriptive baseline beats both NTA variants by > 10 BIC) or at chance (quality flags chance / chance-half, or the chance model fits best).`,
    "",
    "| generator | n | accuracy mean (min–max) | quality flagged | verdicts | strong | misfit | at chance (fit) | best model of all (BIC) | mean fit s |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...ss.map(
      (s) =>
        `| ${s.generator} | ${s.n} | ${s.accuracy.mean.toFixed(3)} (${s.accuracy.min.toFixed(2)}–${s.accuracy.max.toFixed(2)}) | ${pct(s.flagged, s.n)}${
          Object.keys(s.flaggedByCode).length
            ? ` (${Object.entries(s.flaggedByCode)
                .map(([k, v]) => `${k} ${v}`)
                .join(", ")})`
            : ""
        } | ${Object.entries(s.verdicts)
          .map(([k, v]) => `${k} ${v}`)
          .join("; ")} | ${s.strong} | ${s.misfit} | ${s.atChance} | ${Object.entries(s.best)
          .map(([k, v]) => `${k} ${v}`)
          .join("; ")} | ${s.meanWallS.toFixed(1)} |`,
    ),
    "",
    "## Practice effect on the switch cost",
    "",
    'Per participant: OLS slope of the post-switch cost (first 4 trials after a switch minus the settled level) over switch number 1…19, 95 % t interval. Counts: CI < 0 (cost falls) / CI includes 0 / CI > 0 / not estimable. Group: mean slope, 95 % t interval over participants (error cost per switch; RT cost in ms per switch). "fit" = the fit code\'s own model-based practice effect where it reports one.',
    "",
    "| generator | truth | error slopes | RT slopes | fit | group error slope | group RT slope (ms) |",
    "|---|---|---|---|---|---|---|",
    ...ss.map(
      (s) =>
        `| ${s.generator} | ${s.truth.practice} | ${t(s.practice.error)} | ${t(s.practice.rt)} | ${t(s.practice.fit)} | ${ci(s.practice.groupError, 4)} | ${ci(s.practice.groupRt, 1)} |`,
    ),
    "",
    "## Random-effects BMS per generator (protected exceedance probabilities; Σ BIC beside)",
    "",
    `| generator | BOR | ${models.map((m) => `pxp ${m}`).join(" | ")} | ${models.map((m) => `E[r] ${m}`).join(" | ")} | ${models.map((m) => `Σ BIC ${m}`).join(" | ")} |`,
    `|---|---|${models.map(() => "---").join("|")}|${models.map(() => "---").join("|")}|${models.map(() => "---").join("|")}|`,
    ...ss.map((s) => {
      const b = s.bms;
      const at = (arr: number[] | undefined, m: string) => {
        const k = b?.models.indexOf(m) ?? -1;
        return arr && k >= 0 ? arr[k].toFixed(3) : "–";
      };
      return `| ${s.generator} | ${b ? b.bor.toFixed(3) : "–"} | ${models.map((m) => at(b?.protectedExceedance, m)).join(" | ")} | ${models.map((m) => at(b?.expectedFrequency, m)).join(" | ")} | ${models.map((m) => (s.summedBic[m] === undefined ? "–" : s.summedBic[m].toFixed(0))).join(" | ")} |`;
    }),
    "",
    "## NTA generators: parameter recovery and interval coverage",
    "",
    "r: correlation of the true and the estimated value on the transformed (log/logit) scale, for the participant's own maximum-likelihood fit and for the group-informed estimate (empirical Bayes over the generator's participants, lib/model/fit/hierarchical.ts). The intervals are the participant's own (profile likelihood for the quantities people read, else Hessian).",
    "",
    "| generator | parameter | n | r, maximum likelihood | r, group-informed | 95 % interval covers truth |",
    "|---|---|---|---|---|---|",
    ...ss.flatMap((s) =>
      (s.recovery?.params ?? []).flatMap((p) => {
        const c = s.recovery!.coverage.byParam[p.param];
        const g = (x: number | null) => (x === null ? "–" : x.toFixed(3));
        const h = p.highAccuracy;
        return [
          `| ${s.generator} | ${p.param} | ${p.n} | ${p.r.toFixed(3)} | ${g(p.rGroup)} | ${c ? `${c[0]}/${c[1]}` : "–"} |`,
          ...(h
            ? [
                `| ${s.generator} | ${p.param}, accuracy ≥ ${HIGH_ACCURACY} | ${h.n} | ${h.r.toFixed(3)} | ${g(h.rGroup)} | – |`,
              ]
            : []),
        ];
      }),
    ),
    "",
    "Plots: `practice-effects.svg` (per-participant RT-cost slopes with 95 % intervals, by generator), `verdicts.svg`, `nta-recovery.svg`.",
    "",
  ].join("\n");
}

function forestSvg(rs: ZooResult[], gens: string[]): string {
  const W = 900,
    rowH = 5,
    pad = 150;
  const all = rs.flatMap((r) => (r.practice.rt ? r.practice.rt.ci : []));
  const lo = Math.min(-5, ...all),
    hi = Math.max(5, ...all);
  const x = (v: number) => pad + ((v - lo) / (hi - lo)) * (W - pad - 20);
  let y = 30;
  const parts: string[] = [
    `<text x="10" y="18" font-size="12">Per-participant practice effect: RT-cost slope (ms per switch) with 95 % CI; red = CI below 0</text>`,
  ];
  for (const g of gens) {
    const own = rs.filter((r) => r.generator === g);
    parts.push(`<text x="10" y="${y + (own.length * rowH) / 2 + 4}" font-size="11">${g}</text>`);
    for (const r of own) {
      const s = r.practice.rt;
      if (s) {
        const col = s.ci[1] < 0 ? "#c0392b" : s.ci[0] > 0 ? "#2471a3" : "#777";
        parts.push(
          `<line x1="${x(s.ci[0]).toFixed(1)}" x2="${x(s.ci[1]).toFixed(1)}" y1="${y}" y2="${y}" stroke="${col}"/><circle cx="${x(s.slope).toFixed(1)}" cy="${y}" r="1.6" fill="${col}"/>`,
        );
      }
      y += rowH;
    }
    y += 10;
  }
  parts.push(
    `<line x1="${x(0)}" x2="${x(0)}" y1="25" y2="${y}" stroke="#000" stroke-dasharray="3,3"/>`,
  );
  parts.push(
    `<text x="${x(lo)}" y="${y + 14}" font-size="10">${lo.toFixed(0)}</text><text x="${x(hi) - 20}" y="${y + 14}" font-size="10">${hi.toFixed(0)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y + 24}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${parts.join("")}</svg>\n`;
}

function verdictSvg(ss: GeneratorSummary[]): string {
  const labels = [...new Set(ss.flatMap((s) => Object.keys(s.verdicts)))].sort();
  const colours = [
    "#1f77b4",
    "#aec7e8",
    "#ff7f0e",
    "#ffbb78",
    "#2ca02c",
    "#98df8a",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
  ];
  const W = 900,
    barH = 18,
    pad = 150;
  const parts: string[] = [];
  ss.forEach((s, i) => {
    const y = 20 + i * (barH + 6);
    parts.push(`<text x="10" y="${y + 13}" font-size="11">${s.generator}</text>`);
    let x0 = pad;
    for (const [j, l] of labels.entries()) {
      const w = ((s.verdicts[l] ?? 0) / Math.max(1, s.n)) * (W - pad - 220);
      if (w > 0)
        parts.push(
          `<rect x="${x0}" y="${y}" width="${w}" height="${barH}" fill="${colours[j % colours.length]}"><title>${l}: ${s.verdicts[l]}</title></rect>`,
        );
      x0 += w;
    }
  });
  labels.forEach((l, j) =>
    parts.push(
      `<rect x="${W - 210}" y="${20 + j * 16}" width="10" height="10" fill="${colours[j % colours.length]}"/><text x="${W - 195}" y="${29 + j * 16}" font-size="10">${l}</text>`,
    ),
  );
  const H = Math.max(30 + ss.length * (barH + 6), 30 + labels.length * 16);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${parts.join("")}</svg>\n`;
}

function recoverySvg(rs: ZooResult[]): string {
  const pts = rs.flatMap((r) => {
    const m = getGenerator(r.generator).truth.ntaModel!;
    const t = r.theta!,
      f = r.fits[m]?.theta,
      g = r.groupInformed?.theta;
    if (!f) return [];
    const read = (x: Theta) => (m === "flexible" ? Math.log(x.tauC! / x.tauW!) : Math.log(x.tau!));
    return [{ m, tt: read(t), ff: read(f), gg: g ? read(g) : null }];
  });
  const all = pts.flatMap((p) => [p.tt, p.ff, ...(p.gg === null ? [] : [p.gg])]);
  const lo = Math.min(...all),
    hi = Math.max(...all),
    S = 360,
    pad = 40;
  const sc = (v: number) => pad + ((v - lo) / (hi - lo || 1)) * (S - 2 * pad);
  const colour = (m: string) => (m === "flexible" ? "#0072b2" : "#d55e00");
  const parts = pts.flatMap((p) => [
    `<circle cx="${sc(p.tt).toFixed(1)}" cy="${(S - sc(p.ff)).toFixed(1)}" r="3" fill="${colour(p.m)}" fill-opacity="0.7"/>`,
    ...(p.gg === null
      ? []
      : [
          `<line x1="${sc(p.tt).toFixed(1)}" y1="${(S - sc(p.ff)).toFixed(1)}" x2="${sc(p.tt).toFixed(1)}" y2="${(S - sc(p.gg)).toFixed(1)}" stroke="${colour(p.m)}" stroke-opacity="0.35"/>`,
          `<circle cx="${sc(p.tt).toFixed(1)}" cy="${(S - sc(p.gg)).toFixed(1)}" r="3.5" fill="white" stroke="${colour(p.m)}"/>`,
        ]),
  ]);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${S}" height="${S}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/><text x="10" y="16" font-size="11">true (x) vs estimate (y): log τ_c/τ_w (blue, flexible), log τ (orange, forgetful)</text><text x="10" y="30" font-size="11">filled: maximum likelihood · open: group-informed (line joins them)</text><line x1="${sc(lo)}" y1="${S - sc(lo)}" x2="${sc(hi)}" y2="${S - sc(hi)}" stroke="#999" stroke-dasharray="3,3"/>${parts.join("")}</svg>\n`;
}
