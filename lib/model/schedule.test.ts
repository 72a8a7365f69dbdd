import { paperPresets } from "./presets";
import { buildSchedule, pyFloorDiv } from "./schedule";
import { makeTeachers } from "./teachers";

it("reproduces Python float floor division", () => {
  expect(pyFloorDiv(1, 0.001)).toBe(999);
  expect(pyFloorDiv(1, 0.01)).toBe(99);
  expect(pyFloorDiv(20, 1)).toBe(20);
  expect(pyFloorDiv(7, 2)).toBe(3);
});

it("Fig 8 bookkeeping: 99 steps per block, 32 scanned blocks, tape entry k = step k+1 (docs/science.md §4)", () => {
  const p = paperPresets["fig8-flexible"];
  const s = buildSchedule(p.curriculum, p.arch.dt, p.arch.dIn, p.arch.dOut);
  expect(s.stepsPerBlock).toBe(99);
  expect(s.blocks.length).toBe(32);
  expect(s.totalSteps).toBe(3168);
  expect(s.tapeSteps.length).toBe(3000);
  expect(s.tapeSteps[0]).toBe(0);
  for (const k of [1, 2, 500, 2998]) expect(s.tapeSteps[k]).toBe(k + 1);
  expect(s.tapeSteps[2999]).toBe(3001); // docs/science.md §4.2: the tape covers steps 0…3001 (float32 rounding at t = 30)
  expect(s.dtTape).toBeCloseTo(0.01, 12);
  expect(Array.from(s.blockTarget.slice(0, 4))).toEqual([0, 1, 0, 1]);
});

it("Fig 2 bookkeeping: 999 steps per block, 22 blocks, tape about every 2 steps", () => {
  const p = paperPresets["fig2-flexible"];
  const s = buildSchedule(p.curriculum, p.arch.dt, p.arch.dIn, p.arch.dOut);
  expect(s.stepsPerBlock).toBe(999);
  expect(s.totalSteps).toBe(21978);
  expect(s.tapeSteps.length).toBe(10000);
  expect(s.tapeSteps[1]).toBe(3);
  expect(Math.abs(s.tapeSteps[5000] - 10001)).toBeLessThanOrEqual(1);
  expect(s.dtTape).toBeCloseTo(0.002, 12);
  expect(s.tapeSteps[9999]).toBe(20000); // docs/science.md §4.2: steps 0…20000
});

it("teachers: orthogonal rows of norm 1/√d_in, identical on every call", () => {
  const [A, B] = makeTeachers(20, 10, { count: 2 });
  const row = (W: Float64Array, i: number) => W.subarray(i * 20, (i + 1) * 20);
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, j) => s + v * b[j], 0);
  expect(dot(row(A, 0), row(A, 0))).toBeCloseTo(1 / 20, 10);
  expect(dot(row(A, 0), row(A, 3))).toBeCloseTo(0, 10);
  expect(dot(row(A, 2), row(B, 2))).toBeCloseTo(0, 10);
  expect(Array.from(makeTeachers(20, 10, { count: 2 })[1])).toEqual(Array.from(B));
  const [A9, B9] = makeTeachers(20, 10, { count: 2, overlap: 0.5 });
  expect(dot(row(A9, 4), row(B9, 4)) * 20).toBeCloseTo(0.5, 10);
  expect(() => makeTeachers(20, 11, { count: 2 })).toThrow(/M·d_out ≤ d_in/);
});
