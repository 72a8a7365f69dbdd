// npm run bench:fit [-- --link choice|ddm|both] — wall time of one participant fit on the default
// 480-trial curriculum: every model (NTA flexible and forgetful with prior knowledge, the three
// baselines), profile-likelihood intervals, the Hessian, the comparison and the posterior predictive
// check; target ≤ 20 s. Also the engines' raw speed. The simulated participant (NTA flexible with
// prior knowledge κ = 0.5, human-level accuracy) answers through the diffusion link; the "choice"
// fit uses its key presses only, the "ddm" fit its response times as well.
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";

import { generateCurriculum } from "@/lib/core/curriculum";
import { defaultStudyConfig } from "@/lib/core/study-config";
import { initBackend } from "@/lib/model/backend";
import { jsEngine, tfjsEngine } from "@/lib/model/fit/engine";
import { fitParticipant } from "@/lib/model/fit/participant";
import { simulateParticipant } from "@/lib/model/fit/simulate";
import { fitParticipantThreads } from "@/lib/model/fit/threads";
import { ALL_MODELS } from "@/lib/model/fit/transforms";
import { stimulusPresets } from "@/lib/model/presets";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";

const { values } = parseArgs({
  options: {
    link: { type: "string", default: "both" },
    /** Worker threads for the participant fit (default: the cores, at most 2: the flexible model on one, the rest on the other); 1 = one thread, as the server's compute pool runs it. */
    threads: { type: "string" },
  },
});
const threads = Math.max(1, Number(values.threads ?? Math.min(2, availableParallelism())));
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
const theta = {
  tauW: 0.2,
  tauC: 0.02,
  lambda: 0.05,
  prior: 0.5,
  beta: 8,
  lapse: 0.03,
  bound: 1.2,
  ndt: 0.35,
};
const sim = simulateParticipant(arch, seq, "flexible", theta, 11, 12, { link: "ddm" });
for (const link of links) {
  const t = performance.now();
  const fit =
    threads > 1
      ? await fitParticipantThreads(arch, seq, sim.data, { seed: 3, link, threads })
      : await fitParticipant(arch, seq, sim.data, { seed: 3, link });
  const s = (performance.now() - t) / 1000;
  console.log(
    `fit one participant (${seq.trials.length} trials, ${ALL_MODELS.length} models + profile intervals + PPC, ${link} link, ${threads} thread${threads > 1 ? "s" : ""}): ${s.toFixed(2)} s  target ≤ 20 s  ${s <= 20 ? "ok" : "SLOW"}`,
  );
  for (const m of ALL_MODELS) {
    const f = fit.fits[m]!;
    const th = Object.entries(f.theta)
      .map(([k, v]) => `${k} ${v!.toPrecision(3)}`)
      .join(", ");
    console.log(
      `  ${m.padEnd(12)} logLik ${f.logLik.toFixed(2)}  BIC ${f.bic.toFixed(2)}  ${f.evals} evals  ${(f.wallMs / 1000).toFixed(2)} s  (${th})`,
    );
  }
  console.log(`  verdict: ${fit.comparison.summary}`);
}
console.log(
  `  generating θ (flexible): ${Object.entries(theta)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")}`,
);
