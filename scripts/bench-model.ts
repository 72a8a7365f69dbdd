// Benchmark: `npm run bench:model [-- --backend cpu] [--threads N] [--tfjs] [--skip PREFIX]` prints
// wall and process CPU time (all threads), updates/s and the load average for Fig 8 × 10 seeds and
// Fig 2 × 10 seeds (each preset separately; js engine on one thread, and split over --threads
// worker_threads, default 2; --tfjs also times the tfjs engine) and stimulus mode 480 trials × 256
// parameter sets.
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";

import { generateCurriculum } from "@/lib/core/curriculum";
import { defaultStudyConfig } from "@/lib/core/study-config";
import { type BackendName, initBackend } from "@/lib/model/backend";
import type { ModelParams } from "@/lib/model/config";
import { paperPresets, stimulusPresets } from "@/lib/model/presets";
import { chooseThreads, runPaperThreaded, workerMode } from "@/lib/model/paper-threads";
import { runPaper } from "@/lib/model/simulate-paper";
import { runStimulus } from "@/lib/model/simulate-stimulus";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";

const { values } = parseArgs({
  options: {
    backend: { type: "string" },
    skip: { type: "string", default: "" },
    tfjs: { type: "boolean", default: false },
    threads: { type: "string", default: "2" },
  },
});
const threads = Number(values.threads);
const backend = await initBackend(values.backend ? [values.backend as BackendName] : undefined);
console.log(
  `TF.js backend: ${backend}; paper mode uses the js engine unless --tfjs; ${availableParallelism()} cores`,
);
// CPU time of this process since the last line: on a shared machine wall time includes waiting for a core.
let cpu0 = process.cpuUsage();
const line = (name: string, ms: number, updates: number, target: number, engine: string) => {
  const c = process.cpuUsage(cpu0);
  cpu0 = process.cpuUsage();
  const cpuS = (c.user + c.system) / 1e6;
  console.log(
    `${name.padEnd(44)} wall ${(ms / 1000).toFixed(3).padStart(7)} s  cpu ${cpuS.toFixed(3).padStart(7)} s  ${Math.round(
      updates / (ms / 1000),
    )
      .toString()
      .padStart(
        8,
      )} updates/s  target ≤ ${target} s  ${ms / 1000 <= target ? "ok" : "SLOW"}  [${engine}]  load ${loadavg()[0].toFixed(1)}`,
  );
};

// warm-up (kernel compilation, JIT)
{
  const p = paperPresets["fig8-flexible"];
  await runPaper(
    { arch: p.arch, curriculum: { ...p.curriculum, tTot: 2 }, params: [p.params] },
    { seeds: 10 },
  );
  // a worker thread's start-up (tsx compiles the engine's modules in the new thread): a tiny run on 2 threads
  if (threads > 1) {
    const c = process.cpuUsage();
    const r = await runPaperThreaded(
      {
        arch: p.arch,
        curriculum: { ...p.curriculum, tTot: 0.5, tapeLength: 10 },
        params: [p.params],
      },
      { seeds: 2, threads: 2 },
    );
    const cu = process.cpuUsage(c);
    console.log(
      `worker start-up (tiny run on 2 threads, first in this process; workers start by ${workerMode()}): wall ${(r.wallMs / 1000).toFixed(3)} s  cpu ${((cu.user + cu.system) / 1e6).toFixed(3)} s`,
    );
  }
}
console.log(
  `load average before: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
cpu0 = process.cpuUsage();
for (const name of ["fig8-flexible", "fig8-forgetful", "fig2-flexible", "fig2-forgetful"]) {
  if (values.skip && name.startsWith(values.skip)) continue;
  const p = paperPresets[name];
  const res = await runPaper(
    { arch: p.arch, curriculum: p.curriculum, params: [p.params] },
    { seeds: 10 },
  );
  const target = name.startsWith("fig8") ? 0.5 : 3;
  line(
    `${name} × 10 seeds (${res.schedule.totalSteps} steps)`,
    res.wallMs,
    res.schedule.totalSteps * 10,
    target,
    `${res.backend}, 1 thread`,
  );
  if (threads > 1) {
    const rt = await runPaperThreaded(
      { arch: p.arch, curriculum: p.curriculum, params: [p.params] },
      { seeds: 10, threads },
    );
    const auto = chooseThreads(10, res.schedule.totalSteps);
    line(
      `${name} × 10 seeds, ${threads} threads`,
      rt.wallMs,
      rt.schedule.totalSteps * 10,
      target,
      `${rt.backend}, ${threads} threads; "auto" picks ${auto}`,
    );
  }
  if (values.tfjs) {
    const r2 = await runPaper(
      { arch: p.arch, curriculum: p.curriculum, params: [p.params] },
      { seeds: 10, engine: "tfjs" },
    );
    line(
      `${name} × 10 seeds, tfjs engine`,
      r2.wallMs,
      r2.schedule.totalSteps * 10,
      name.startsWith("fig8") ? 0.5 : 3,
      r2.backend,
    );
  }
}
const seq = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), 1));
const params: ModelParams[] = Array.from({ length: 256 }, (_, i) => ({
  ...stimulusPresets.flexible.params,
  tauW: 0.1 + 0.01 * (i % 32),
  tauC: 0.01 + 0.005 * Math.floor(i / 32),
}));
const res = await runStimulus(
  { arch: stimulusPresets.flexible.arch, params, sequence: seq },
  { seeds: 1 },
);
line(
  `stimulus ${seq.trials.length} trials × 256 param sets`,
  res.wallMs,
  seq.trials.length * 256,
  1,
  res.backend,
);
console.log(
  `load average after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
