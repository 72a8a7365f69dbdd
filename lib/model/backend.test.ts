import * as tf from "@tensorflow/tfjs";

import { initBackend } from "./backend";
import { paperPresets, stimulusPresets } from "./presets";
import { runPaper } from "./simulate-paper";
import { runStimulus } from "./simulate-stimulus";

it("cpu and wasm backends agree within float32 tolerance", async () => {
  const p = paperPresets["fig8-flexible"];
  const cur = { ...p.curriculum, tTot: 2, tapeLength: 200 };
  const seq = {
    keys: { left: "f", right: "j" },
    trials: Array.from({ length: 40 }, (_, t) => ({
      input: [1, 2, 3].map((k) => ((t * k) % 5) / 5),
      target: [t % 3 ? 1 : -1],
      task: "x",
      blockIndex: Math.floor(t / 10),
      trialInBlock: t % 10,
      trialIndex: t,
      stimulus: "s",
      correctResponse: "f",
      congruent: false,
    })),
  };
  const out: Record<string, { loss: Float32Array; gates: Float32Array; y: Float32Array }> = {};
  for (const be of ["cpu", "wasm"] as const) {
    expect(await initBackend([be])).toBe(be);
    expect(tf.getBackend()).toBe(be);
    const r = await runPaper(
      { arch: p.arch, curriculum: cur, params: [p.params] },
      { seeds: 2, seed: 1 },
    );
    const s = await runStimulus(
      {
        arch: stimulusPresets.flexible.arch,
        params: [stimulusPresets.flexible.params],
        sequence: seq,
      },
      { seeds: 1 },
    );
    out[be] = { loss: r.loss[1], gates: r.gates[1], y: s.output[0] };
  }
  for (const k of ["loss", "gates", "y"] as const) {
    const [a, b] = [out.cpu[k], out.wasm[k]];
    for (let i = 0; i < a.length; i++)
      expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(a[i])));
  }
});
