// Qualitative claims of Fig 8 and a shortened Fig 2 within the docs/science.md §7 bands (10 seeds), plus
// reproducibility and tensor hygiene. Runs on the wasm backend (the Node default).
import * as tf from "@tensorflow/tfjs";

import { initBackend } from "./backend";
import { mean } from "./metrics";
import { paperPresets } from "./presets";
import { runPaper } from "./simulate-paper";
import { summarisePaper } from "./summary";

beforeAll(async () => {
  await initBackend(["wasm"]);
});

describe("Fig 8 (10 seeds, full schedule)", () => {
  const flex = paperPresets["fig8-flexible"],
    forg = paperPresets["fig8-forgetful"];
  let s: ReturnType<typeof summarisePaper>[];
  beforeAll(async () => {
    const res = await runPaper(
      { arch: flex.arch, curriculum: flex.curriculum, params: [flex.params, forg.params] },
      { seeds: 10 },
    );
    s = [0, 1].map((i) => summarisePaper(res, i));
  });

  it("flexible: post-switch loss starts near 0.2 and falls to a plateau near 0.05", () => {
    const m = s[0].postSwitchMean.mean;
    expect(m[0]).toBeGreaterThan(0.12);
    expect(m[0]).toBeLessThan(0.3);
    expect(mean(m.slice(5))).toBeLessThan(0.08);
  });

  it("forgetful: post-switch loss starts near 0.13 and rises towards 0.24", () => {
    const m = s[1].postSwitchMean.mean;
    expect(m[0]).toBeGreaterThan(0.08);
    expect(m[0]).toBeLessThan(0.18);
    expect(mean(m.slice(18))).toBeGreaterThan(0.19);
    expect(mean(m.slice(18))).toBeLessThan(0.3);
    expect(mean(m.slice(18))).toBeGreaterThan(m[0] + 0.05);
  });

  it("flexible gates separate (≈1/≈0) and alternate; total alignment ≈ 1 vs forgetful ≈ 0.65", () => {
    const [g1, g2] = s[0].gatesAtBlockEnds.at(-3)!;
    const [h1, h2] = s[0].gatesAtBlockEnds.at(-2)!;
    expect(Math.max(g1, g2)).toBeGreaterThan(0.85);
    expect(Math.min(g1, g2)).toBeLessThan(0.15);
    expect(Math.sign(g1 - g2)).toBe(-Math.sign(h1 - h2));
    expect(s[0].totalAlignment!.mean).toBeGreaterThan(0.97);
    expect(s[1].totalAlignment!.mean).toBeGreaterThan(0.58);
    expect(s[1].totalAlignment!.mean).toBeLessThan(0.75);
  });

  it("Fig 8B panel: flexible's first switch is worse than its fourth", () => {
    expect(mean(s[0].fig8B.mean[0])).toBeGreaterThan(mean(s[0].fig8B.mean[3]) + 0.05);
  });
});

describe("Fig 2, shortened to t_tot = 10 (12 scanned blocks), 10 seeds", () => {
  const flex = paperPresets["fig2-flexible"],
    forg = paperPresets["fig2-forgetful"];
  let s: ReturnType<typeof summarisePaper>[];
  beforeAll(async () => {
    const curriculum = { ...flex.curriculum, tTot: 10, tapeLength: 5000 };
    const res = await runPaper(
      { arch: flex.arch, curriculum, params: [flex.params, forg.params] },
      { seeds: 10 },
    );
    s = [0, 1].map((i) => summarisePaper(res, i));
  }, 60_000);

  it("both start near 0.7 τ_w; forgetful levels off near 0.44; flexible keeps falling below it", () => {
    const [f, g] = [s[0].fig2F.mean, s[1].fig2F.mean];
    for (const x of [f[0], g[0]]) {
      expect(x).toBeGreaterThan(0.55);
      expect(x).toBeLessThan(0.9);
    }
    const plateau = mean(g.slice(5, 10));
    expect(plateau).toBeGreaterThan(0.37);
    expect(plateau).toBeLessThan(0.51);
    expect(mean(f.slice(7, 10))).toBeLessThan(0.25);
    expect(f[9]).toBeLessThan(f[2]);
  });

  it("forgetful gates stay equal", () => {
    const [g1, g2] = s[1].gatesAtBlockEnds.at(-2)!;
    expect(Math.abs(g1 - g2)).toBeLessThan(0.05);
  });
});

describe("reproducibility and tensor hygiene", () => {
  const p = paperPresets["fig8-flexible"];
  const short = { ...p.curriculum, tTot: 3, tapeLength: 300 };
  it("same seed → identical numbers; another seed → different numbers; no tensor leaks", async () => {
    const run = (seed: number) =>
      runPaper(
        { arch: p.arch, curriculum: short, params: [p.params] },
        { seeds: 3, seed, chunkSteps: 50 },
      );
    const first = await run(4);
    const before = tf.memory().numTensors;
    const again = await run(4);
    const other = await run(5);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(again.loss[1])).toEqual(Array.from(first.loss[1]));
    expect(Array.from(again.gates[2])).toEqual(Array.from(first.gates[2]));
    expect(Array.from(other.loss[1])).not.toEqual(Array.from(first.loss[1]));
    // seeds differ from each other within a run
    expect(first.loss[0][5]).not.toBe(first.loss[1][5]);
  });

  it("cancels between chunks", async () => {
    const ac = new AbortController();
    const before = tf.memory().numTensors;
    const run = runPaper(
      { arch: p.arch, curriculum: short, params: [p.params] },
      {
        seeds: 2,
        chunkSteps: 20,
        signal: ac.signal,
        onProgress: (done) => done >= 40 && ac.abort(),
      },
    );
    await expect(run).rejects.toThrow(/cancelled/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects bad input with the value in the message", async () => {
    await expect(
      runPaper(
        { arch: p.arch, curriculum: short, params: [{ ...p.params, tauW: 0 }] },
        { seeds: 1 },
      ),
    ).rejects.toThrow(/tauW > 0, but got 0/);
    await expect(
      runPaper({ arch: p.arch, curriculum: short, params: [p.params] }, { seeds: 1.5 }),
    ).rejects.toThrow(/seeds/);
  });
});

describe("engines", () => {
  it("the js engine and the tfjs engine agree on the same data stream (float32 tolerance)", async () => {
    const p = paperPresets["fig8-flexible"];
    const cur = { ...p.curriculum, tTot: 4, tapeLength: 400 };
    const params = [p.params, paperPresets["fig8-forgetful"].params];
    const run = (engine: "js" | "tfjs") =>
      runPaper({ arch: p.arch, curriculum: cur, params }, { seeds: 2, seed: 8, engine });
    const [a, b] = [await run("js"), await run("tfjs")];
    expect(a.backend).toBe("js");
    expect(b.backend).toBe("wasm");
    for (let e = 0; e < 4; e++) {
      for (const k of ["loss", "gates"] as const) {
        const [x, y] = [a[k][e], b[k][e]];
        for (let t = 0; t < x.length; t++)
          expect(Math.abs(x[t] - y[t])).toBeLessThan(2e-4 * Math.max(1, Math.abs(x[t])));
      }
      for (const t of a.schedule.tapeSteps.filter((_, k) => k % 37 === 0)) {
        for (let j = 0; j < 4; j++)
          expect(Math.abs(a.cos![e][t * 4 + j] - b.cos![e][t * 4 + j])).toBeLessThan(2e-3);
      }
    }
  });

  it("also agree with a batch smaller than d_in (explicit X, S-form js path)", async () => {
    const p = paperPresets["fig8-flexible"];
    const cur = { ...p.curriculum, tTot: 2, tapeLength: 200, batchSize: 5 };
    const run = (engine: "js" | "tfjs") =>
      runPaper(
        { arch: p.arch, curriculum: cur, params: [p.params] },
        { seeds: 2, seed: 3, engine },
      );
    const [a, b] = [await run("js"), await run("tfjs")];
    for (let t = 0; t < a.loss[1].length; t++)
      expect(Math.abs(a.loss[1][t] - b.loss[1][t])).toBeLessThan(2e-4 * Math.max(1, a.loss[1][t]));
  });
});
