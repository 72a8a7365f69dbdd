import { generateCurriculum } from "./curriculum";
import { TASK_PAIR_IDS, defaultStudyConfig, studyConfigSchema } from "./study-config";
import {
  SHAPE_COLOURS,
  correctKey,
  encodeStimulus,
  getTaskPair,
  isCongruent,
  labelVector,
  stimulusViewHtml,
  taskPairs,
  withSwappedSides,
} from "./task-pairs";

const keys = { left: "f", right: "j" };
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

/** Distance of y from the span of the columns of X (rows = stimuli): 0 ⇔ y = X·w for some w. */
function residualFromSpan(X: number[][], y: number[]): number {
  const basis: number[][] = [];
  for (let j = 0; j < X[0].length; j++) {
    const v = X.map((row) => row[j]);
    for (const b of basis) {
      const d = dot(v, b);
      v.forEach((_, i) => (v[i] -= d * b[i]));
    }
    const n = Math.hypot(...v);
    if (n > 1e-9) basis.push(v.map((x) => x / n));
  }
  const r = [...y];
  for (const b of basis) {
    const d = dot(r, b);
    r.forEach((_, i) => (r[i] -= d * b[i]));
  }
  return Math.hypot(...r);
}

it("registers every task pair StudyConfig offers, under its own id", () => {
  expect(Object.keys(taskPairs).sort()).toEqual([...TASK_PAIR_IDS].sort());
  for (const id of TASK_PAIR_IDS) expect(getTaskPair(id).id).toBe(id);
  expect(() => getTaskPair("stroop")).toThrow(/Unknown task pair "stroop"/);
});

describe.each(TASK_PAIR_IDS)("task pair %s", (id) => {
  const pair = getTaskPair(id);
  const X = pair.stimuli.map((s) => encodeStimulus(pair, s));

  it("encodes every stimulus as a unit vector of width d_in, distinct stimuli distinctly", () => {
    for (const x of X) {
      expect(x).toHaveLength(pair.encoding.dIn);
      expect(Math.hypot(...x)).toBeCloseTo(1, 12);
    }
    expect(new Set(X.map((x) => x.join())).size).toBe(pair.stimuli.length);
  });

  it("makes half the stimuli congruent, so the two rules' labels are orthogonal", () => {
    const congruent = pair.stimuli.filter((s) => isCongruent(pair, s)).length;
    expect(congruent).toBe(pair.stimuli.length / 2);
    const [a, b] = pair.tasks.map((t) => labelVector(pair, t.id));
    expect(dot(a, b)).toBe(0);
    // each rule uses both keys equally often
    for (const l of [a, b]) expect(l.reduce((s, x) => s + x, 0)).toBe(0);
  });

  it("has teachers the model can realise: each rule is a linear read-out of the encoding, under every key mapping", () => {
    for (const swapped of [[], [pair.tasks[0].id], [pair.tasks[1].id], pair.tasks.map((t) => t.id)])
      for (const t of pair.tasks) {
        const y = labelVector(withSwappedSides(pair, swapped), t.id);
        expect(residualFromSpan(X, y)).toBeLessThan(1e-9);
      }
  });

  it("balances every block of a generated curriculum over congruent and incongruent trials", () => {
    const config = studyConfigSchema.parse({ taskPair: id, blocks: 4, trialsPerBlock: 24 });
    const c = generateCurriculum(config, 7);
    expect(c.taskPair).toBe(id);
    expect(c.blocks.map((b) => b.task)).toEqual([0, 1, 0, 1].map((i) => pair.tasks[i].id));
    for (let b = 0; b < 4; b++) {
      const block = c.trials.filter((t) => t.blockIndex === b);
      expect(block.filter((t) => t.congruent)).toHaveLength(12);
      for (const s of pair.stimuli)
        expect(block.filter((t) => t.stimulus === s).length).toBeGreaterThanOrEqual(
          Math.floor(24 / pair.stimuli.length),
        );
      for (let i = 1; i < block.length; i++)
        expect(block[i].stimulus).not.toBe(block[i - 1].stimulus);
    }
    // the curriculum's correct keys are the registry's, under the participant's own mapping
    const swapped = [pair.tasks[1].id];
    const c2 = generateCurriculum(config, 7, 0, swapped);
    const seen = withSwappedSides(pair, swapped);
    for (const t of [...c2.practice, ...c2.trials])
      expect(t.correctResponse).toBe(correctKey(seen, t.task, t.stimulus, keys));
  });
});

it("letter/number: the letter rule reads the vowel, the digit rule the parity, under each mapping", () => {
  const pair = getTaskPair("letter-number");
  expect(pair.stimuli).toHaveLength(16);
  expect(pair.stimuli).toContain("G7");
  const cases = [
    // stimulus, letter key, digit key (registered mapping: vowel/even left, consonant/odd right)
    ["A2", "f", "f"],
    ["E9", "f", "j"],
    ["G4", "j", "f"],
    ["K7", "j", "j"],
  ] as const;
  for (const [s, letterKey, digitKey] of cases) {
    expect(correctKey(pair, "letter", s, keys)).toBe(letterKey);
    expect(correctKey(pair, "digit", s, keys)).toBe(digitKey);
    expect(isCongruent(pair, s)).toBe(letterKey === digitKey);
    const flip = (k: string) => (k === "f" ? "j" : "f");
    const letterSwapped = withSwappedSides(pair, ["letter"]);
    expect(correctKey(letterSwapped, "letter", s, keys)).toBe(flip(letterKey));
    expect(correctKey(letterSwapped, "digit", s, keys)).toBe(digitKey);
    const both = withSwappedSides(pair, ["letter", "digit"]);
    expect(correctKey(both, "digit", s, { left: "a", right: "l" })).toBe(
      digitKey === "f" ? "l" : "a",
    );
  }
  expect(() => encodeStimulus(pair, "B2")).toThrow(/not in task pair "letter-number"/);
  // letter and digit each have their own half of the code
  expect(encodeStimulus(pair, "A2").map((x) => Math.round(x * Math.SQRT2))).toEqual([
    1, 0, 0, 0, 1, 0, 0, 0,
  ]);
});

it("colour/shape: the colour rule reads the fill, the shape rule the outline, under each mapping", () => {
  const pair = getTaskPair("colour-shape");
  expect(pair.stimuli).toEqual(["blue-circle", "blue-square", "orange-circle", "orange-square"]);
  expect(correctKey(pair, "colour", "blue-square", keys)).toBe("f");
  expect(correctKey(pair, "shape", "blue-square", keys)).toBe("j");
  expect(correctKey(pair, "colour", "orange-circle", keys)).toBe("j");
  expect(correctKey(pair, "shape", "orange-circle", keys)).toBe("f");
  expect(pair.stimuli.filter((s) => isCongruent(pair, s))).toEqual([
    "blue-circle",
    "orange-square",
  ]);
  const swapped = withSwappedSides(pair, ["shape"]);
  expect(correctKey(swapped, "shape", "blue-square", keys)).toBe("f");
  expect(correctKey(swapped, "colour", "blue-square", keys)).toBe("f");
  expect(swapped.tasks[1].describe).toEqual({ left: "squares", right: "circles" });
});

// Colour-vision deficiency (Machado, Oliveira & Fernandes 2009, severity 1) on linear sRGB.
const CVD: Record<string, number[][]> = {
  none: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};
const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const linearRgb = (hex: string) =>
  [1, 3, 5].map((i) => toLinear(parseInt(hex.slice(i, i + 2), 16) / 255));
/** CIE L*a*b* (D65) of a linear-RGB colour. */
function lab([r, g, b]: number[]) {
  const clip = (v: number) => Math.min(1, Math.max(0, v));
  [r, g, b] = [r, g, b].map(clip);
  const X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const Y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}

it("colour/shape: the two colours stay far apart for every colour-vision deficiency and in greyscale", () => {
  const [blue, orange] = [SHAPE_COLOURS.blue, SHAPE_COLOURS.orange].map(linearRgb);
  for (const [name, M] of Object.entries(CVD)) {
    const seen = (c: number[]) => lab(M.map((row) => dot(row, c)));
    const [a, b] = [seen(blue), seen(orange)];
    const deltaE = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    // ΔE*ab ≈ 2.3 is a just-noticeable difference; blue/orange give 79–122 here, a red/green
    // pair (#D62728/#2CA02C) only 7 under deuteranopia
    expect(deltaE, name).toBeGreaterThan(30);
  }
  // greyscale: the lightness difference alone tells them apart (L* ≈ 46 vs 71)
  const [lBlue, lOrange] = [blue, orange].map((c) => lab(c)[0]);
  expect(lOrange - lBlue).toBeGreaterThan(20);
});

it("colour/shape: the shapes differ without colour (outline only) and not by size", () => {
  const pair = getTaskPair("colour-shape");
  const html = Object.fromEntries(pair.stimuli.map((s) => [s, stimulusViewHtml(pair.view(s))!]));
  // with the fill removed, the two colours of one shape draw the same outline, and the two
  // shapes different ones
  const outline = (h: string) => h.replace(/fill="[^"]*"/, "").replace(/aria-label="[^"]*"/, "");
  expect(outline(html["blue-circle"])).toBe(outline(html["orange-circle"]));
  expect(outline(html["blue-square"])).toBe(outline(html["orange-square"]));
  expect(outline(html["blue-circle"])).not.toBe(outline(html["blue-square"]));
  expect(html["blue-circle"]).toContain(`<circle`);
  expect(html["orange-square"]).toContain(`<rect`);
  expect(html["orange-square"]).toContain(`fill="${SHAPE_COLOURS.orange}"`);
  expect(html["blue-circle"]).toContain(`aria-label="blue circle"`);
  // areas within 5% of each other: r = 50 → 7854; 88² = 7744
  const area = (h: string) => {
    const r = /r="(\d+)"/.exec(h);
    if (r) return Math.PI * Number(r[1]) ** 2;
    const w = /<rect [^>]*width="(\d+)" height="(\d+)"/.exec(h)!;
    return Number(w[1]) * Number(w[2]);
  };
  expect(area(html["blue-square"]) / area(html["blue-circle"])).toBeCloseTo(1, 1);
  // text pairs show their text as it is
  expect(stimulusViewHtml(getTaskPair("letter-number").view("G7"))).toBeNull();
});

it("a condition may run another task pair than the base", () => {
  const config = studyConfigSchema.parse({
    conditions: [{ name: "letters", taskPair: "letter-number" }, { name: "base" }],
  });
  expect(config.taskPair).toBe(defaultStudyConfig().taskPair);
  expect(config.conditions[0].taskPair).toBe("letter-number");
  const bad = studyConfigSchema.safeParse({ conditions: [{ name: "x", taskPair: "stroop" }] });
  expect(bad.success).toBe(false);
});
