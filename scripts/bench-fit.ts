// npm run bench:fit [-- --design js|tfjs --link choice|ddm|both] — wall time of one participant fit
// (flexible + forgetful) on the default 480-trial curriculum, target ≤ 20 s, plus the engines' raw
// speed. The simulated participant answers through the diffusion link (choices and response times);
// the "choice" fit uses its key presses only, the "ddm" fit its response times as well.
import { parseArgs } from "node:util";

import { generateCurriculum } from "@/lib/core/curriculum";
import { defaultStudyConfig } from "@/lib/core/study-config";
import { initBackend } from "@/lib/model/backend";
import { jsEngine, tfjsEngine } from "@/lib/model/fit/engine";
import { fitParticipant } from "@/lib/model/fit/participant";
import { simulateParticipant } from "@/lib/model/fit/simulate";
import { stimulusPresets } from "@/lib/model/presets";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";

const { values } = parseArgs({
  options: { design: { type: "string", default: "js" }, link: { type: "string", default: "both" } },
});
const links =
  values.link === "both"
    ? (["choice", "ddm"] as const)
    : ([values.link === "ddm" ? "ddm" : "choice"] as const);
const backend = await initBackend();
const arch = stimulusPresets.flexible.arch;
const seq = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), 1));
const params = Array.from({ length: 256 }, (_, i) => ({
  ...stimulusPresets.flexible.params,
  tauW: 0.05 + 0.002 * i,
}));
await tfjsEngine(arch, seq, 0)(params.slice(0, 8)); // warm-up
for (const [name, engine] of [
  ["tfjs (one batched runStimulus)", tfjsEngine(arch, seq, 0)],
  ["js float64", jsEngine(arch, seq, 0)],
] as const) {
  const t = performance.now();
  await engine(params);
  console.log(
    `engine ${name.padEnd(31)} 480 trials × 256 parameter sets: ${(performance.now() - t).toFixed(0)} ms [${backend}]`,
  );
}
const theta = { tauW: 0.1, tauC: 0.02, lambda: 0.05, beta: 8, lapse: 0.03, bound: 1.2, ndt: 0.35 };
const sim = simulateParticipant(arch, seq, "flexible", theta, 11, 12, { link: "ddm" });
for (const link of links) {
  const t = performance.now();
  const fit = await fitParticipant(arch, seq, sim.data, {
    seed: 3,
    link,
    designEngine: values.design === "tfjs" ? "tfjs" : "js",
  });
  const s = (performance.now() - t) / 1000;
  console.log(
    `fit one participant (${seq.trials.length} trials, flexible + forgetful, ${link} link, design ${values.design}): ${s.toFixed(2)} s  target ≤ 20 s  ${s <= 20 ? "ok" : "SLOW"}`,
  );
  for (const m of ["flexible", "forgetful"] as const) {
    const f = fit[m];
    const th = Object.entries(f.theta)
      .map(([k, v]) => `${k} ${v!.toPrecision(3)}`)
      .join(", ");
    console.log(
      `  ${m.padEnd(9)} logLik ${f.logLik.toFixed(2)}  BIC ${f.bic.toFixed(2)}  ${f.evals} evals  ${(f.wallMs / 1000).toFixed(2)} s  (${th})`,
    );
  }
}
console.log(
  `  generating θ (flexible): ${Object.entries(theta)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")}`,
);
