// npm run fit:recovery [-- --n 40 --seed 7 --link ddm|choice --generate ddm|choice --range main|wide]
// — parameter and model recovery for the participant fits (docs/fitting.md): simulate participants
// from known θ (half flexible, half forgetful) on the default curriculum (20 blocks × 24 trials), fit
// both models to each, and write <out>/{summary.md, summary.json, recovery.svg}, out defaulting to
// reports/fit-recovery/<link>[-from-<generate>][-wide]. --generate (default: --link) says how the
// simulated participants answer: "ddm" = keys and response times, "choice" = keys only.
// `--zoo`: the generator-zoo report instead (scripts/fit-zoo.ts, docs/generators.md).
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { generateCurriculum } from "@/lib/core/curriculum";
import { defaultStudyConfig } from "@/lib/core/study-config";
import { initBackend } from "@/lib/model/backend";
import {
  type RecoveredParticipant,
  type RecoverySummary,
  runRecovery,
} from "@/lib/model/fit/recovery";
import type { GeneratingRanges } from "@/lib/model/fit/simulate";
import { deriveSeed } from "@/lib/core/rng";
import { jsEngine } from "@/lib/model/fit/engine";
import { INIT_SEEDS } from "@/lib/model/fit/participant";
import { profileRatio } from "@/lib/model/fit/profile";
import { simulateParticipant } from "@/lib/model/fit/simulate";
import { type MechanismStats, showsMechanism } from "@/lib/model/fit/signature";
import {
  type LinkName,
  type ModelName,
  PRIOR,
  type Theta,
  paramSpecs,
  toU,
} from "@/lib/model/fit/transforms";
import { stimulusPresets } from "@/lib/model/presets";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";

if (process.argv.includes("--zoo")) {
  await import("./fit-zoo");
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "40" },
    seed: { type: "string", default: "7" },
    design: { type: "string", default: "js" },
    range: { type: "string", default: "main" },
    out: { type: "string" },
    inits: { type: "string" },
    /** --profile K: profile likelihood of τ_c/τ_w for the first K flexible participants of <out>/summary.json → <out>/profile.md */
    profile: { type: "string" },
    link: { type: "string", default: "ddm" },
    generate: { type: "string" },
  },
});
if (values.range !== "main" && values.range !== "wide")
  throw new Error(`--range must be main or wide, got ${values.range}`);
const asLink = (v: string): LinkName => {
  if (v !== "ddm" && v !== "choice")
    throw new Error(`--link/--generate must be ddm or choice, got ${v}`);
  return v;
};
const link = asLink(values.link),
  generateLink = asLink(values.generate ?? values.link);
const out =
  values.out ??
  `reports/fit-recovery/${link}${generateLink !== link ? `-from-${generateLink}` : ""}${values.range === "wide" ? "-wide" : ""}`;

/** Admissibility (judged on the generating model alone, docs/fitting.md "Recovery design"): in the main
 * analysis a flexible participant must show the Fig. 8 signature of docs/model.md on 480 trials (gates
 * specialise and alternate, post-switch error falls): otherwise its flexibility is not in its data.
 * "wide": every draw from the ranges is kept. */
const ADMIT =
  values.range === "main"
    ? (model: ModelName, _t: Theta, m: MechanismStats) => model === "forgetful" || showsMechanism(m)
    : undefined;

/** Generating ranges: engaged participants (β 2–20, lapse 1–10%) inside the prior box; flexible
 * participants have the mechanism switched on (λ ≥ 0.01, τ_c ≤ 0.1 < typical τ_w). Response times
 * (ddm): boundary 0.8–1.6 (mean decision time at zero drift 0.16–0.64 s), non-decision time
 * 0.25–0.45 s — RTs like a choice task's 0.4–1.2 s. docs/fitting.md. */
const RT_RANGES: GeneratingRanges = { bound: [0.8, 1.6], ndt: [0.25, 0.45] };
const GENERATING_RANGES: Record<ModelName, GeneratingRanges> = {
  flexible: {
    tauW: [0.05, 0.5],
    tauC: [0.01, 0.1],
    lambda: [0.01, 0.1],
    beta: [2, 20],
    lapse: [0.01, 0.1],
    ...RT_RANGES,
  },
  forgetful: { tau: [0.05, 0.5], beta: [2, 20], lapse: [0.01, 0.1], ...RT_RANGES },
};

const n = Number(values.n),
  seed = Number(values.seed);
if (!(n >= 2)) throw new Error(`--n must be ≥ 2, got ${values.n}`);
const backend = values.design === "tfjs" ? await initBackend() : "none";
const initSeeds = values.inits ? Number(values.inits) : INIT_SEEDS;
if (values.profile) {
  await writeProfiles(Number(values.profile));
  process.exit(0);
}
const config = defaultStudyConfig();
const seq = curriculumToStimulusTrials(generateCurriculum(config, seed));
const arch = stimulusPresets.flexible.arch;
const t0 = performance.now();
const { participants, summary } = await runRecovery(arch, seq, {
  n,
  seed,
  ranges: GENERATING_RANGES,
  admit: ADMIT,
  generateLink,
  fit: { designEngine: values.design === "tfjs" ? "tfjs" : "js", initSeeds, link },
  onParticipant: (p, done, total) =>
    console.log(
      `[${done}/${total}] ${p.model.padEnd(9)} acc ${p.accuracy.toFixed(2)}  ΔBIC ${p.deltaBic.toFixed(1).padStart(7)} → ${p.preferred}  (${((p.fits.flexible.wallMs + p.fits.forgetful.wallMs) / 1000).toFixed(1)} s)`,
    ),
});
const wallS = (performance.now() - t0) / 1000;

fs.mkdirSync(out, { recursive: true });
const meta = {
  n,
  seed,
  range: values.range,
  link,
  generateLink,
  initSeeds,
  admission:
    values.range === "main"
      ? "flexible: Fig. 8 signature of docs/model.md on the generating model (early − late ≥ 0.1, gate separation ≥ 0.5, alternation ≥ 0.8); forgetful: all"
      : "none (every draw kept)",
  trials: seq.trials.length,
  blocks: config.blocks,
  trialsPerBlock: config.trialsPerBlock,
  design: values.design,
  backend,
  wallS,
  generatingRanges: GENERATING_RANGES,
  prior: PRIOR,
};
fs.writeFileSync(
  path.join(out, "summary.json"),
  JSON.stringify({ meta, summary, participants: participants.map(compact) }, null, 1) + "\n",
);
fs.writeFileSync(path.join(out, "summary.md"), markdown(summary, meta));
fs.writeFileSync(path.join(out, "recovery.svg"), svg(participants, summary));
console.log(markdown(summary, meta));

function compact(p: RecoveredParticipant) {
  const r = (o: Record<string, number | undefined>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v!.toPrecision(4))]));
  return {
    id: p.id,
    model: p.model,
    accuracy: p.accuracy,
    draws: p.draws,
    mechanism: r(p.mechanism),
    truthLogLik: +p.truthLogLik.toFixed(2),
    fittedLogLik: +p.fits[p.model].logLik.toFixed(2),
    true: r(p.theta),
    flexible: { ...r(p.fits.flexible.theta), bic: +p.fits.flexible.bic.toFixed(2) },
    forgetful: { ...r(p.fits.forgetful.theta), bic: +p.fits.forgetful.bic.toFixed(2) },
    deltaBic: +p.deltaBic.toFixed(2),
    preferred: p.preferred,
  };
}

function markdown(s: RecoverySummary, m: typeof meta): string {
  const flex = participants.filter((p) => p.model === "flexible");
  const draws = flex.reduce((a, p) => a + p.draws, 0);
  const sig = (ok: boolean) => flex.filter((p) => showsMechanism(p.mechanism) === ok);
  const recovered = (ps: RecoveredParticipant[]) =>
    `${ps.filter((p) => p.preferred === "flexible").length}/${ps.length}`;
  const pass = (ok: boolean) => (ok ? "pass" : "**FAIL**");
  const row = (p: RecoverySummary["params"][number]) =>
    `| ${p.param} | ${p.model} | ${p.n} | ${p.r.toFixed(3)} | ${p.bias.toFixed(3)} | ${p.rmse.toFixed(3)} | ${p.scale} |`;
  const get = (param: string, model: ModelName) =>
    s.params.find((p) => p.param === param && p.model === model);
  const checks = [
    ["τ_w (flexible)", get("tauW", "flexible")],
    ["τ_c (flexible)", get("tauC", "flexible")],
    ["τ_c/τ_w (flexible)", get("tauC/tauW", "flexible")],
    ["τ (forgetful)", get("tau", "forgetful")],
    ["β (all, generating model)", get("beta (all)", "flexible")],
  ] as const;
  return [
    `# Fit recovery (npm run fit:recovery -- --n ${m.n} --seed ${m.seed} --link ${m.link} --generate ${m.generateLink} --range ${m.range})`,
    "",
    `**Link: ${m.link === "ddm" ? "choices and response times (drift-diffusion link)" : "choices only"}; simulated participants answer with ${m.generateLink === "ddm" ? "keys and response times (drift-diffusion)" : "keys only"}.** ${m.n} simulated participants (half flexible, half forgetful) on the default curriculum (${m.blocks} blocks × ${m.trialsPerBlock} = ${m.trials} trials), both models fitted to each; likelihood marginalised over ${m.initSeeds} model initialisations. Wall ${m.wallS.toFixed(0)} s, mean fit ${(s.meanFitMs / 1000).toFixed(2)} s per participant (both models). Generated by scripts/fit-recovery.ts; see docs/fitting.md ("Recovery design").`,
    "",
    `**Range: ${m.range}.** Generating ranges (drawn uniformly in log / logit space): ${Object.entries(
      m.generatingRanges,
    )
      .map(
        ([model, r]) =>
          `${model} ${Object.entries(r)
            .map(([k, [lo, hi]]) => `${k} ${lo}–${hi}`)
            .join(", ")}`,
      )
      .join(
        "; ",
      )}. Admission: ${m.admission}. Flexible draws: ${draws} for ${flex.length} participants (${((100 * flex.length) / Math.max(1, draws)).toFixed(0)}% admitted).`,
    "",
    `Flexible participants whose generating model shows the Fig. 8 signature: BIC picks flexible for ${recovered(sig(true))}; without the signature: ${recovered(sig(false))}.`,
    "",
    `Optimiser check: the generating θ beats the fitted optimum (of the generating model) by > 0.5 log units for ${s.optimiserMisses}/${s.participants} participants (largest shortfall ${s.worstShortfall.toFixed(2)}; ≤ 0 means every optimum is at least as good as the truth).`,
    "",
    "## Acceptance",
    "",
    "| check | value | target | |",
    "|---|---|---|---|",
    ...checks.map(
      ([name, p]) =>
        `| r(true, fitted) ${name} | ${p ? p.r.toFixed(3) : "n/a"} | ≥ 0.8 | ${pass(!!p && p.r >= 0.8)} |`,
    ),
    `| BIC picks the generating model | ${(100 * s.modelRecoveryRate).toFixed(1)}% | ≥ 80% | ${pass(s.modelRecoveryRate >= 0.8)} |`,
    "",
    "## True vs fitted (transformed space: log, logit(lapse/½)); fits of the generating model",
    "",
    "| parameter | model | n | r | bias | RMSE | scale |",
    "|---|---|---|---|---|---|---|",
    ...s.params.map(row),
    "",
    "## Model recovery (rows: generating model; columns: BIC preferred)",
    "",
    "| | flexible | forgetful |",
    "|---|---|---|",
    ...(["flexible", "forgetful"] as const).map(
      (g) => `| ${g} | ${s.confusion[g].flexible} | ${s.confusion[g].forgetful} |`,
    ),
    "",
  ].join("\n");
}

function svg(ps: RecoveredParticipant[], s: RecoverySummary): string {
  const panels: { title: string; pts: [number, number, ModelName][] }[] = [];
  for (const model of ["flexible", "forgetful"] as const)
    for (const spec of paramSpecs(model, link)) {
      const own = ps.filter((p) => p.model === model);
      const r = s.params.find((x) => x.param === spec.name && x.model === model)?.r;
      panels.push({
        title: `${model} ${spec.label.split(" ")[0]} r=${r?.toFixed(2)}`,
        pts: own.map((p) => [
          toU(spec, p.theta[spec.name]!),
          toU(spec, p.fits[model].theta[spec.name]!),
          model,
        ]),
      });
    }
  const ratio = ps
    .filter((p) => p.model === "flexible")
    .map(
      (p) =>
        [
          Math.log(p.theta.tauC! / p.theta.tauW!),
          Math.log(p.fits.flexible.theta.tauC! / p.fits.flexible.theta.tauW!),
          "flexible",
        ] as [number, number, ModelName],
    );
  panels.push({
    title: `flexible log τ_c/τ_w r=${s.params.find((x) => x.param === "tauC/tauW")?.r.toFixed(2)}`,
    pts: ratio,
  });
  const W = 220,
    H = 220,
    cols = 3,
    pad = 30;
  const out: string[] = [];
  panels.forEach((panel, i) => {
    const x0 = (i % cols) * W,
      y0 = Math.floor(i / cols) * H;
    const all = panel.pts.flatMap((p) => [p[0], p[1]]);
    const lo = Math.min(...all),
      hi = Math.max(...all),
      span = hi - lo || 1;
    const sx = (v: number) => x0 + pad + ((v - lo) / span) * (W - 2 * pad),
      sy = (v: number) => y0 + H - pad - ((v - lo) / span) * (H - 2 * pad);
    out.push(
      `<rect x="${x0 + pad}" y="${y0 + pad}" width="${W - 2 * pad}" height="${H - 2 * pad}" fill="none" stroke="#ccc"/>`,
    );
    out.push(
      `<line x1="${sx(lo)}" y1="${sy(lo)}" x2="${sx(hi)}" y2="${sy(hi)}" stroke="#999" stroke-dasharray="3,3"/>`,
    );
    out.push(`<text x="${x0 + pad}" y="${y0 + pad - 8}" font-size="11">${panel.title}</text>`);
    out.push(
      `<text x="${x0 + W / 2}" y="${y0 + H - 8}" font-size="9" text-anchor="middle">true (transformed)</text>`,
    );
    out.push(
      `<text x="${x0 + 12}" y="${y0 + H / 2}" font-size="9" text-anchor="middle" transform="rotate(-90 ${x0 + 12} ${y0 + H / 2})">fitted</text>`,
    );
    for (const [t, f, m] of panel.pts)
      out.push(
        `<circle cx="${sx(t).toFixed(1)}" cy="${sy(f).toFixed(1)}" r="3" fill="${m === "flexible" ? "#1f77b4" : "#d62728"}" fill-opacity="0.7"/>`,
      );
  });
  const rows = Math.ceil(panels.length / cols);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * W}" height="${rows * H}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${out.join("\n")}\n</svg>\n`;
}

/** Profile likelihood of log τ_c/τ_w (lib/model/fit/profile.ts) for the first k flexible participants of an existing run. */
async function writeProfiles(k: number) {
  const run = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8")) as {
    meta: { seed: number; initSeeds: number };
    participants: ReturnType<typeof compact>[];
  };
  const seq = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), run.meta.seed));
  const arch = stimulusPresets.flexible.arch;
  const deltas = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5];
  const lines = [
    `# Profile likelihood of log τ_c/τ_w (npm run fit:recovery -- --range ${values.range} --profile ${k})`,
    "",
    "For each flexible participant: the maximised log-likelihood (over τ_w, λ, β, lapse; Nelder–Mead from the generating and the fitted θ) with log τ_c/τ_w fixed at the generating value + Δ. Columns: Δ. A profile within ~2 log units over a wide Δ range means the ratio is not identified by 480 choices.",
    "",
    `| id | true log ρ | fitted log ρ | fitted logLik | ${deltas.map((d) => `Δ ${d}`).join(" | ")} |`,
    `|---|---|---|---|${deltas.map(() => "---").join("|")}|`,
  ];
  for (const p of run.participants.filter((q) => q.model === "flexible").slice(0, k)) {
    const sim = simulateParticipant(
      arch,
      seq,
      "flexible",
      p.true,
      deriveSeed(run.meta.seed, 3 * p.id),
      deriveSeed(run.meta.seed, 3 * p.id + 1),
    );
    const engine = jsEngine(arch, seq, deriveSeed(run.meta.seed, 3 * p.id + 2), run.meta.initSeeds);
    const lr = Math.log(p.true.tauC / p.true.tauW);
    const fitted = p.flexible as Theta;
    const prof = await profileRatio(
      engine,
      sim.data.choices,
      deltas.map((d) => lr + d),
      [p.true, fitted],
    );
    const row = `| ${p.id} | ${lr.toFixed(2)} | ${Math.log(fitted.tauC! / fitted.tauW!).toFixed(2)} | ${p.fittedLogLik.toFixed(1)} | ${prof.map((q) => (Number.isFinite(q.logLik) ? q.logLik.toFixed(1) : "out of box")).join(" | ")} |`;
    console.log(row);
    lines.push(row);
  }
  fs.writeFileSync(path.join(out, "profile.md"), lines.join("\n") + "\n");
}
