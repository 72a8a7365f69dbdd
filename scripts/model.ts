// CLI for the NTA model: `npm run model -- --preset fig8 --seeds 10 [--seed 0] [--out path]`
// prints the figure's numbers as tables and writes JSON; progress goes to stderr.
//   --set tauC=0.02,lambdaL1=0.3   override model parameters of every preset in the run
//   --blocks N --block-length L    paper mode: N blocks of τ_B = L time units; stimulus mode: N blocks
//                                  of L trials (the participant curriculum)
//   --backend js|cpu|wasm|webgl    paper mode: js = float64 engine (default); a TF.js backend runs
//                                  the tfjs engine on it. Stimulus mode: the TF.js backend.
// `npm run model -- --search-stimulus` reruns the stimulus-preset search (docs/model.md).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";

import { generateCurriculum } from "@/lib/core/curriculum";
import { defaultStudyConfig, studyConfigSchema } from "@/lib/core/study-config";
import { type BackendName, initBackend } from "@/lib/model/backend";
import { type ModelParams, validateParams } from "@/lib/model/config";
import { figurePresets, paperPresets, stimulusPresets } from "@/lib/model/presets";
import { type PaperResponse, runModel } from "@/lib/model/run";
import { bestRow, searchStimulusPresets, signatureStats } from "@/lib/model/stimulus-search";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";
import { runStimulus } from "@/lib/model/simulate-stimulus";

const { values } = parseArgs({
  options: {
    preset: { type: "string", default: "fig8" },
    seeds: { type: "string", default: "10" },
    seed: { type: "string", default: "0" },
    out: { type: "string" },
    backend: { type: "string" },
    set: { type: "string" },
    blocks: { type: "string" },
    "block-length": { type: "string" },
    "search-stimulus": { type: "boolean", default: false },
  },
});

const PARAM_KEYS = ["tauW", "tauC", "lambdaNonneg", "lambdaL1", "lambdaL2", "lambdaW"] as const;
/** `--set tauC=0.02,lambdaL1=0.3` → a partial ModelParams (every key and value checked). */
function parseSet(spec: string | undefined): Partial<ModelParams> {
  const out: Partial<ModelParams> = {};
  for (const pair of (spec ?? "").split(",").filter(Boolean)) {
    const [key, value, ...rest] = pair.split("=");
    if (
      !PARAM_KEYS.includes(key as (typeof PARAM_KEYS)[number]) ||
      value === undefined ||
      rest.length
    )
      throw new Error(`--set ${pair}: expected key=value with key one of ${PARAM_KEYS.join(", ")}`);
    const x = Number(value);
    if (!Number.isFinite(x)) throw new Error(`--set ${pair}: ${value} is not a number`);
    out[key as (typeof PARAM_KEYS)[number]] = x;
  }
  return out;
}
const positive = (name: string, v: string | undefined, integer: boolean) => {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!(x > 0) || (integer && !Number.isInteger(x)))
    throw new Error(`--${name} ${v}: expected a positive ${integer ? "integer" : "number"}`);
  return x;
};
const overrides = parseSet(values.set);
const withOverrides = (p: ModelParams, label: string) => {
  const q = { ...p, ...overrides };
  validateParams(q, label);
  return q;
};
const blocks = positive("blocks", values.blocks, true);
const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
const row = (label: string, xs: number[], d = 3) =>
  console.log(label.padEnd(22) + xs.map((x) => f(x, d).padStart(7)).join(" "));
const progress = (done: number, total: number) => process.stderr.write(`\r${done}/${total} steps`);
const write = (path: string, data: unknown) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    JSON.stringify(data, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v), 1),
  );
  console.error(`\nwrote ${path}`);
};

const TFJS_BACKENDS = ["cpu", "wasm", "webgl"];
if (values.backend && values.backend !== "js" && !TFJS_BACKENDS.includes(values.backend))
  throw new Error(`--backend ${values.backend}: expected js, ${TFJS_BACKENDS.join(", ")}`);
const tfjsBackend = values.backend && values.backend !== "js" ? values.backend : undefined;
const backend = await initBackend(tfjsBackend ? [tfjsBackend as BackendName] : undefined);
if (tfjsBackend && backend !== tfjsBackend)
  throw new Error(`--backend ${tfjsBackend} is not available here (got ${backend})`);
const seeds = Number(values.seeds),
  seed = Number(values.seed);

if (values["search-stimulus"]) {
  const cfg = defaultStudyConfig();
  const seqs = [1, 2, 3, 4, 5, 6].map((s) =>
    curriculumToStimulusTrials(generateCurriculum(cfg, s)),
  );
  // τ_c ≥ dt keeps dt/τ_c ≤ 1, the largest gate step the paper uses (Fig 8; docs/science.md §9): larger steps sit on a
  // stability edge (τ_c = 0.01 diverges for some τ_w).
  const grid = {
    tauW: [0.04, 0.08, 0.12, 0.16, 0.24, 0.32],
    tauC: [0.02, 0.03, 0.04, 0.06, 0.08],
    lambda: [0.05, 0.1, 0.2, 0.4],
  };
  const rows = await searchStimulusPresets(stimulusPresets.flexible.arch, grid, seqs, 4);
  const best = bestRow(rows);
  console.log(
    "grid",
    JSON.stringify(grid),
    "curricula: participant seeds 1–6 of the default StudyConfig, 4 model seeds each",
  );
  console.log(
    "admissible points:",
    rows.filter((r) => Number.isFinite(r.score)).length,
    "of",
    rows.length,
  );
  console.log("best flexible:", JSON.stringify(best.flexible), "score", f(best.score));
  for (const [name, s] of [
    ["flexible", best.flex],
    ["forgetful", best.forget],
  ] as const) {
    console.log(
      `${name}: early ${f(s.early)} late ${f(s.late)} gateSep ${f(s.gateSeparation)} alternation ${f(s.gateAlternation)} accuracy ${f(s.accuracy)}`,
    );
  }
  write(values.out ?? "reports/model-stimulus-search.json", { grid, best, rows });
} else if (values.preset === "stimulus") {
  const trialsPerBlock = positive("block-length", values["block-length"], true);
  const config = studyConfigSchema.parse({
    ...defaultStudyConfig(),
    ...(blocks ? { blocks } : {}),
    ...(trialsPerBlock ? { trialsPerBlock } : {}),
  });
  const seq = curriculumToStimulusTrials(generateCurriculum(config, seed));
  const params = [
    withOverrides(stimulusPresets.flexible.params, "flexible"),
    withOverrides(stimulusPresets.forgetful.params, "forgetful"),
  ];
  const res = await runStimulus(
    { arch: stimulusPresets.flexible.arch, params, sequence: seq },
    { seeds, seed, onProgress: progress },
  );
  console.log(
    `\nstimulus mode, participant seed ${seed}, ${seq.trials.length} trials, backend ${backend}, ${f(res.wallMs, 0)} ms`,
  );
  const stats = [0, 1].map((i) => signatureStats([{ res, seq }], i));
  ["flexible", "forgetful"].forEach((n, i) => {
    row(`${n} err/switch`, stats[i].postSwitchError, 2);
    console.log(
      `${n}: accuracy ${f(stats[i].accuracy)} gate separation ${f(stats[i].gateSeparation)}`,
    );
  });
  write(values.out ?? "reports/model-stimulus.json", {
    labels: ["flexible", "forgetful"],
    stats,
    result: res,
  });
} else {
  const names =
    figurePresets[values.preset!] ?? (paperPresets[values.preset!] ? [values.preset!] : null);
  if (!names)
    throw new Error(
      `Unknown preset "${values.preset}" (figures: ${Object.keys(figurePresets).join(", ")}; presets: ${Object.keys(paperPresets).join(", ")}; or "stimulus")`,
    );
  const presets = names.map((n) => paperPresets[n]);
  const shape = (p: (typeof presets)[number]) => JSON.stringify([p.arch, p.curriculum]);
  if (presets.some((p) => shape(p) !== shape(presets[0])))
    throw new Error(`Presets ${names.join(", ")} differ in architecture or curriculum`);
  const blockLength = positive("block-length", values["block-length"], false);
  const curriculum = { ...presets[0].curriculum };
  if (blockLength) curriculum.blockDuration = blockLength;
  if (blocks || blockLength)
    curriculum.tTot =
      (blocks ?? curriculum.tTot / presets[0].curriculum.blockDuration) * curriculum.blockDuration;
  const custom = {
    arch: presets[0].arch,
    curriculum,
    params: presets.map((p, i) => withOverrides(p.params, names[i])),
  };
  const res = (await runModel(
    { mode: "paper", custom, labels: names, seeds, seed, engine: tfjsBackend ? "tfjs" : "js" },
    { onProgress: progress },
  )) as PaperResponse;
  console.log(
    `\n${names.join(" + ")}: ${seeds} seeds, backend ${res.backend}, ${f(res.wallMs, 0)} ms`,
  );
  res.summaries.forEach((s, i) => {
    console.log(`\n== ${res.labels[i]} ==`);
    row("Fig2F t(L<0.1)/τ_w", s.fig2F.mean);
    row("  band SD/10", s.fig2F.band);
    row("updates to L<0.1", s.stepsToThreshold.mean, 0);
    s.fig8B.mean.forEach((m, k) => row(`Fig8B switch ${k + 1} j=1..5`, m));
    row("post-switch mean j≤5", s.postSwitchMean.mean);
    row("gates, block 2nd to last, last step", s.gatesAtBlockEnds.at(-2) ?? []);
    console.log(
      `total alignment ${f(s.totalAlignment?.mean ?? NaN)} ± ${f(s.totalAlignment?.sd ?? NaN)}   final L ${f(s.finalLoss.mean, 4)}`,
    );
  });
  write(values.out ?? `reports/model-${values.preset}.json`, {
    presets: names,
    overrides,
    curriculum,
    seeds,
    seed,
    ...res,
  });
}
