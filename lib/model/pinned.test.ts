// Pinned numbers: the paper-mode js engine gives exactly these values for these seeds, so any change
// to the data stream, the initialisation or the update order shows up here (refactors must keep the
// model bit-identical; docs/model.md "Reproducibility").
import { paperPresets } from "./presets";
import { runPaper } from "./simulate-paper";

describe("paper mode, Fig 8 flexible, t_tot = 4, seeds 2 from base seed 3 (js engine)", () => {
  it("reproduces pinned losses and gates exactly", async () => {
    const p = paperPresets["fig8-flexible"];
    const r = await runPaper(
      { arch: p.arch, curriculum: { ...p.curriculum, tTot: 4 }, params: [p.params] },
      { seeds: 2, seed: 3, engine: "js" },
    );
    const sum = (a: Float32Array) => a.reduce((x, y) => x + y, 0);
    expect(r.loss[0][10]).toBe(0.04008277505636215);
    expect(sum(r.loss[0]) + sum(r.loss[1])).toBe(16.23737392324792);
    expect(Array.from(r.gates[1].slice(-2))).toEqual([0.9525330066680908, 0.05874340608716011]);
  });
});
