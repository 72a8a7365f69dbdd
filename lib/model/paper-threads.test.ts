// The worker_threads split of a paper-mode run (paper-threads.ts) and the element-wise js engine
// (js-paper.ts): same numbers, bit for bit, however the elements and steps are split.
import { availableParallelism } from "node:os";

import { runPaperElements } from "./js-paper";
import { chooseThreads, runPaperThreaded, splitEven, workerMode } from "./paper-threads";
import { paperPresets } from "./presets";
import { CancelledError } from "./progress";
import { type PaperRunResult, runPaper } from "./simulate-paper";

const same = (a: PaperRunResult, b: PaperRunResult) => {
  expect(b.elements).toEqual(a.elements);
  for (const k of ["loss", "gates", "cos", "finalW", "finalC"] as const) {
    const x = a[k],
      y = b[k];
    if (x === null || y === null) {
      expect(y).toBe(x);
      continue;
    }
    expect(y.length).toBe(x.length);
    x.forEach((arr, e) =>
      expect(
        Buffer.from(y[e].buffer, y[e].byteOffset, y[e].byteLength).equals(
          Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength),
        ),
      ).toBe(true),
    );
  }
};

const flex = paperPresets["fig8-flexible"],
  forg = paperPresets["fig8-forgetful"];
const shortFig8 = { ...flex.curriculum, tTot: 6, tapeLength: 600 };

describe("runPaperThreaded", () => {
  it("is bit-identical to runPaper (2 parameter sets × 3 seeds over 2 threads, one of them a worker)", async () => {
    const input = { arch: flex.arch, curriculum: shortFig8, params: [flex.params, forg.params] };
    const progress: number[] = [];
    const [a, b] = [
      await runPaper(input, { seeds: 3, seed: 5 }),
      await runPaperThreaded(input, {
        seeds: 3,
        seed: 5,
        threads: 2,
        onProgress: (d) => progress.push(d),
      }),
    ];
    same(a, b);
    expect(b.backend).toBe("js");
    expect(workerMode()).toBe("bundle"); // esbuild (tsx's dependency) bundles the worker; no loader per thread
    expect(progress.at(-1)).toBe(a.schedule.totalSteps);
  }, 60_000);

  it("is bit-identical with per-neuron gates and without alignment logging", async () => {
    const p = paperPresets["fig3-subtask-flexible"];
    const input = {
      arch: p.arch,
      curriculum: { ...p.curriculum, tTot: 2, tapeLength: 500 },
      params: [p.params],
    };
    const opts = { seeds: 3, seed: 2, recordAlignment: false };
    same(await runPaper(input, opts), await runPaperThreaded(input, { ...opts, threads: 3 }));
  }, 60_000);

  it("cancels", async () => {
    const ac = new AbortController();
    const input = { arch: flex.arch, curriculum: flex.curriculum, params: [flex.params] };
    const run = runPaperThreaded(input, {
      seeds: 4,
      threads: 2,
      signal: ac.signal,
      onProgress: () => ac.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  }, 60_000);

  it("chooses threads only for runs that repay a worker's start-up; splits evenly", () => {
    expect(chooseThreads(10, 3168)).toBe(1); // Fig 8 × 10 seeds
    expect(chooseThreads(10, 21978)).toBe(Math.min(10, availableParallelism()));
    expect(chooseThreads(1, 21978)).toBe(1);
    expect(chooseThreads(3, 10, 8)).toBe(3);
    expect(splitEven([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(splitEven([1, 2], 3)).toEqual([[1], [2], []]);
  });
});

describe("js engine (js-paper.ts)", () => {
  it("gives the same numbers whatever the chunking and whether an element runs alone", async () => {
    const input = { arch: flex.arch, curriculum: shortFig8, params: [flex.params, forg.params] };
    const a = await runPaper(input, { seeds: 2, seed: 7 });
    same(a, await runPaper(input, { seeds: 2, seed: 7, chunkSteps: 37 }));
    // element 3 = (forgetful, seed index 1) on its own
    const [alone] = runPaperElements({
      ...input,
      seed: 7,
      record: true,
      elements: [{ paramIndex: 1, seedIndex: 1 }],
      chunkSteps: 100,
    });
    expect(Array.from(alone.loss)).toEqual(Array.from(a.loss[3]));
    expect(Array.from(Float32Array.from(alone.W))).toEqual(Array.from(a.finalW[3]));
  });
});
