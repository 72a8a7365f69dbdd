// What the /paper figures read from a run: complete blocks only (the scanned block past t_tot is not
// a block), gates at the block's own last step, one switch fewer than blocks, a downsampled loss curve.
import { initBackend } from "./backend";
import { paperPresets } from "./presets";
import { runPaper } from "./simulate-paper";
import { LOSS_CURVE_POINTS, summarisePaper } from "./summary";

beforeAll(async () => {
  await initBackend(["wasm"]);
});

describe("summarisePaper on a short Fig. 8 run (t_tot = 4: 4 blocks, 6 scanned)", () => {
  const p = paperPresets["fig8-flexible"];
  it("reports 4 blocks, 4 gate readings at each block's last step, 3 switches", async () => {
    const res = await runPaper(
      { arch: p.arch, curriculum: { ...p.curriculum, tTot: 4 }, params: [p.params] },
      { seeds: 1, seed: 3 },
    );
    const spb = res.schedule.stepsPerBlock;
    expect(res.schedule.blocks.length).toBe(6);
    const s = summarisePaper(res, 0);
    expect(s.blocks).toBe(4);
    expect(s.fig2F.mean.length).toBeLessThanOrEqual(4);
    expect(s.gatesAtBlockEnds).toHaveLength(4); // was 6 (every scanned block)
    expect(s.postSwitchMean.mean).toHaveLength(3); // was 4: a "switch" into the block past t_tot
    const width = res.gates[0].length / res.schedule.totalSteps;
    s.gatesAtBlockEnds.forEach((g, b) => {
      const t = (b + 1) * spb - 1; // was (b + 1)·spb: the next block's first step
      const raw = Array.from(res.gates[0].subarray(t * width, (t + 1) * width));
      expect([...g].sort()).toEqual(raw.sort());
    });
    expect(s.lossCurve.t.length).toBeLessThanOrEqual(LOSS_CURVE_POINTS);
    expect(s.lossCurve.t[0]).toBeGreaterThan(0);
    expect(s.lossCurve.t.at(-1)).toBeLessThanOrEqual(4);
    expect(s.lossCurve.mean.every(Number.isFinite)).toBe(true);
  });
});
