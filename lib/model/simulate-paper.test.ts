// Qualitative claims of Fig 8 and a shortened Fig 2 within the docs/science.md §7 bands (10 seeds), plus
// reproducibility and tensor hygiene. Runs on the wasm backend (the Node default).
import * as tf from "@tensorflow/tfjs";

import { computeFig2Bands, computeFig8Bands, PAPER_BANDS } from "@/lib/core/paper-view";

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

  it("every Fig 8 acceptance band of docs/science.md §7 holds (PAPER_BANDS.fig8)", () => {
    const bands = computeFig8Bands(s[0], s[1]);
    expect(bands.map((b) => b.key)).toEqual(Object.keys(PAPER_BANDS.fig8));
    for (const b of bands) expect(b.within, `${b.claim}: ${b.measured}`).toBe(true);
  });

  it("opposite trends: forgetful post-switch loss rises, flexible gates separate and alternate", () => {
    const m = s[1].postSwitchMean.mean;
    expect(mean(m.slice(18))).toBeGreaterThan(m[0] + 0.05);
    const [g1, g2] = s[0].gatesAtBlockEnds.at(-3)!;
    const [h1, h2] = s[0].gatesAtBlockEnds.at(-2)!;
    const [lo, hi] = [PAPER_BANDS.fig8.flexibleGateLow, PAPER_BANDS.fig8.flexibleGateHigh];
    expect(Math.max(g1, g2)).toBeGreaterThan(hi[0]);
    expect(Math.min(g1, g2)).toBeLessThan(lo[1]);
    expect(Math.sign(g1 - g2)).toBe(-Math.sign(h1 - h2));
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
    // The bands that a 10-block run can show (the rest need all 20 blocks).
    const bands = computeFig2Bands(s[0], s[1]);
    for (const key of ["flexibleStart", "forgetfulStart", "forgetfulPlateau"]) {
      const b = bands.find((x) => x.key === key)!;
      expect(b.within, `${b.claim}: ${b.measured}`).toBe(true);
    }
    const f = s[0].fig2F.mean;
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
