// Benchmark: `npm run bench:model [-- --backend cpu]` prints wall time, updates/s and backend for
// Fig 8 × 10 seeds, Fig 2 × 10 seeds (each preset separately; --tfjs also times the tfjs engine) and
// stimulus mode 480 trials × 256 parameter sets.
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";

import { generateCurriculum } from "@/lib/core/curriculum";
import { defaultStudyConfig } from "@/lib/core/study-config";
import { type BackendName, initBackend } from "@/lib/model/backend";
import type { ModelParams } from "@/lib/model/config";
import { paperPresets, stimulusPresets } from "@/lib/model/presets";
import { runPaper } from "@/lib/model/simulate-paper";
import { runStimulus } from "@/lib/model/simulate-stimulus";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";

const { values } = parseArgs({ options: { backend: { type: "string" }, skip: { type: "string", default: "" }, tfjs: { type: "boolean", default: false } } });
const backend = await initBackend(values.backend ? [values.backend as BackendName] : undefined);
console.log(`TF.js backend: ${backend}; paper mode uses the js engine unless --tfjs; ${availableParallelism()} cores`);
// CPU time of this process since the last line: on a shared machine wall time includes waiting for a core.
let cpu0 = process.cpuUsage();
const line = (name: string, ms: number, updates: number, target: number, engine: string) => {
  const c = process.cpuUsage(cpu0);
  cpu0 = process.cpuUsage();
  const cpuS = (c.user + c.system) / 1e6;
  console.log(`${name.padEnd(40)} wall ${(ms / 1000).toFixed(3).padStart(7)} s  cpu ${cpuS.toFixed(3).padStart(7)} s  ${Math.round(updates / (ms / 1000)).toString().padStart(8)} updates/s  target ≤ ${target} s  ${ms / 1000 <= target ? "ok" : "SLOW"}  [${engine}]`);
};

// warm-up (kernel compilation, JIT)
{
  const p = paperPresets["fig8-flexible"];
  await runPaper({ arch: p.arch, curriculum: { ...p.curriculum, tTot: 2 }, params: [p.params] }, { seeds: 10 });
}
console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
cpu0 = process.cpuUsage();
for (const name of ["fig8-flexible", "fig8-forgetful", "fig2-flexible", "fig2-forgetful"]) {
  if (values.skip && name.startsWith(values.skip)) continue;
  const p = paperPresets[name];
  const res = await runPaper({ arch: p.arch, curriculum: p.curriculum, params: [p.params] }, { seeds: 10 });
  line(`${name} × 10 seeds (${res.schedule.totalSteps} steps)`, res.wallMs, res.schedule.totalSteps * 10, name.startsWith("fig8") ? 0.5 : 3, res.backend);
  if (values.tfjs) {
    const r2 = await runPaper({ arch: p.arch, curriculum: p.curriculum, params: [p.params] }, { seeds: 10, engine: "tfjs" });
    line(`${name} × 10 seeds, tfjs engine`, r2.wallMs, r2.schedule.totalSteps * 10, name.startsWith("fig8") ? 0.5 : 3, r2.backend);
  }
}
const seq = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), 1));
const params: ModelParams[] = Array.from({ length: 256 }, (_, i) => ({
  ...stimulusPresets.flexible.params, tauW: 0.1 + 0.01 * (i % 32), tauC: 0.01 + 0.005 * Math.floor(i / 32),
}));
const res = await runStimulus({ arch: stimulusPresets.flexible.arch, params, sequence: seq }, { seeds: 1 });
line(`stimulus ${seq.trials.length} trials × 256 param sets`, res.wallMs, seq.trials.length * 256, 1, res.backend);
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
