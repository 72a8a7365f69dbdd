// CLI for the NTA model: `npm run model -- --preset fig8 --seeds 10 [--seed 0] [--out path]`
// prints the figure's numbers as tables and writes JSON; progress goes to stderr.
// `npm run model -- --search-stimulus` reruns the stimulus-preset search (docs/model.md).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";

import { generateCurriculum } from "@/lib/core/curriculum";
import { defaultStudyConfig } from "@/lib/core/study-config";
import { type BackendName, initBackend } from "@/lib/model/backend";
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
    "search-stimulus": { type: "boolean", default: false },
  },
});
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

const backend = await initBackend(values.backend ? [values.backend as BackendName] : undefined);
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
  const seq = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), seed));
  const params = [stimulusPresets.flexible.params, stimulusPresets.forgetful.params];
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
  const res = (await runModel(
    { mode: "paper", presets: names, seeds, seed },
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
    seeds,
    seed,
    ...res,
  });
}
