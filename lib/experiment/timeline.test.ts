// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";

import { generateCurriculum } from "@/lib/core/curriculum";
import { studyConfigSchema, type StudyConfigInput } from "@/lib/core/study-config";
import { trialRecordSchema, type TrialRecord } from "@/lib/core/trial-record";

const config = (input: StudyConfigInput = {}) =>
  studyConfigSchema.parse({
    blocks: 3,
    trialsPerBlock: 8,
    practice: { trials: 8 },
    breakEveryBlocks: 1,
    ...input,
  });

async function runSimulated(
  input: StudyConfigInput = {},
  extra: Partial<{
    resume: { mainTrialsDone: number; practiceDone: boolean; practiceTrialsSaved?: number };
    simulation: Record<string, unknown>;
    seed: number;
  }> = {},
) {
  const { initJsPsych } = await import("jspsych");
  const { buildTimeline } = await import("./timeline");
  const cfg = config(input);
  const curriculum = generateCurriculum(cfg, extra.seed ?? 1234);
  const jsPsych = initJsPsych();
  jsPsych.randomization.setSeed(String(curriculum.seed));
  const records: TrialRecord[] = [];
  const earlyEnds: string[] = [];
  const practice: unknown[] = [];
  const timeline = buildTimeline({
    jsPsych,
    config: cfg,
    curriculum,
    resume: extra.resume,
    onTrialRecord: (r) => records.push(r),
    onEarlyEnd: (reason) => earlyEnds.push(reason),
    onPracticeDone: (p) => practice.push(p),
  });
  await jsPsych.simulate(timeline, "data-only", extra.simulation ?? {});
  return { jsPsych, curriculum, records, earlyEnds, practice, cfg };
}

const instructionPagesSeen = (rows: { trial_type: string }[]) =>
  (rows.find((r) => r.trial_type === "instructions") as unknown as { view_history: unknown[] })
    .view_history.length;

describe("buildTimeline (simulated, data-only)", () => {
  it("yields a valid TrialRecord for every task trial, in curriculum order with alternating blocks", async () => {
    const { records, curriculum, jsPsych, earlyEnds } = await runSimulated();
    expect(earlyEnds).toEqual([]);
    for (const r of records) expect(trialRecordSchema.parse(r)).toEqual(r);
    const main = records.filter((r) => r.phase === "main");
    expect(main).toHaveLength(24);
    expect(main.map((r) => r.trialIndex)).toEqual([...Array(24).keys()]);
    main.forEach((r, i) => {
      const t = curriculum.trials[i];
      expect([
        r.blockIndex,
        r.trialInBlock,
        r.task,
        r.stimulus,
        r.correctResponse,
        r.congruent,
      ]).toEqual([
        t.blockIndex,
        t.trialInBlock,
        t.task,
        t.stimulus,
        t.correctResponse,
        t.congruent,
      ]);
      expect(r.correct).toBe(r.response === r.correctResponse);
      if (r.response !== null) expect(r.rtMs).toBeGreaterThan(0);
    });
    expect([0, 1, 2].map((b) => main.find((r) => r.blockIndex === b)!.task)).toEqual([
      "parity",
      "magnitude",
      "parity",
    ]);
    // jsPsych's own data agrees: one task-trial row per record.
    expect(jsPsych.data.get().filter({ trial_type: "task-trial" }).count()).toBe(records.length);
    const practice = records.filter((r) => r.phase === "practice");
    expect(practice.length % 8).toBe(0);
    expect(practice.length).toBeGreaterThanOrEqual(8);
    expect(practice.map((r) => r.trialIndex)).toEqual([...Array(practice.length).keys()]);
  });

  it("shows a break screen after every breakEveryBlocks blocks but not after the last", async () => {
    const { jsPsych } = await runSimulated();
    const rows = jsPsych.data.get().values() as { trial_type: string; stimulus?: string }[];
    expect(
      rows.filter(
        (r) =>
          r.trial_type === "html-button-response" && /Take a short break/.test(r.stimulus ?? ""),
      ),
    ).toHaveLength(2);
  });

  it("resuming at main trial k yields trials k…N−1 only, without consent or practice", async () => {
    const { records, jsPsych } = await runSimulated(
      {},
      { resume: { mainTrialsDone: 11, practiceDone: true } },
    );
    expect(records.map((r) => r.trialIndex)).toEqual([...Array(24).keys()].slice(11));
    expect(records.every((r) => r.phase === "main")).toBe(true);
    const rows = jsPsych.data.get().values() as { trial_type: string; stimulus?: string }[];
    expect(rows.some((r) => /Do you agree/.test(r.stimulus ?? ""))).toBe(false);
  });

  it("numbers a resumed practice after the practice trials already saved", async () => {
    const { records } = await runSimulated(
      {},
      { resume: { mainTrialsDone: 0, practiceDone: false, practiceTrialsSaved: 5 } },
    );
    const practice = records.filter((r) => r.phase === "practice");
    expect(practice[0].trialIndex).toBe(8);
    expect(practice.map((r) => r.trialIndex)).toEqual(practice.map((_, i) => 8 + i));
    expect(records.filter((r) => r.phase === "main")).toHaveLength(24);
  });

  it("counts attempts from earlier sessions against maxAttempts", async () => {
    const fail = { simulation: { "task-trial": { data: { response: null, rt: null } } } };
    // 1 attempt saved (8 trials) of 3, then two more failing attempts: indices 8…23, never beyond.
    const a = await runSimulated(
      { practice: { trials: 8, maxAttempts: 3, onFail: "end" } },
      { ...fail, resume: { mainTrialsDone: 0, practiceDone: false, practiceTrialsSaved: 8 } },
    );
    expect(a.records.map((r) => r.trialIndex)).toEqual([...Array(16).keys()].map((i) => 8 + i));
    expect(a.earlyEnds).toEqual(["practice-failed"]);
    // All attempts used already: onFail "end" ends at once, "continue" goes straight to the main blocks.
    const b = await runSimulated(
      { practice: { trials: 8, maxAttempts: 2, onFail: "end" } },
      { resume: { mainTrialsDone: 0, practiceDone: false, practiceTrialsSaved: 13 } },
    );
    expect(b.records).toEqual([]);
    expect(b.earlyEnds).toEqual(["practice-failed"]);
    const c = await runSimulated(
      { practice: { trials: 8, maxAttempts: 2, onFail: "continue" } },
      { resume: { mainTrialsDone: 0, practiceDone: false, practiceTrialsSaved: 13 } },
    );
    expect(c.records.map((r) => r.phase)).toEqual(Array(24).fill("main"));
  });

  it("repeats practice up to maxAttempts and ends the run when practice fails with onFail 'end'", async () => {
    const { records, earlyEnds, practice } = await runSimulated(
      { practice: { trials: 8, maxAttempts: 2, onFail: "end" } },
      { simulation: { "task-trial": { data: { response: null, rt: null } } } },
    );
    expect(records.map((r) => r.trialIndex)).toEqual([...Array(16).keys()]);
    expect(records.every((r) => r.phase === "practice" && r.response === null && !r.correct)).toBe(
      true,
    );
    expect(earlyEnds).toEqual(["practice-failed"]);
    expect(practice).toEqual([]);
  });

  it("continues to the main blocks after failed practice with onFail 'continue'", async () => {
    const { records, practice } = await runSimulated(
      { practice: { trials: 8, maxAttempts: 3, onFail: "continue" } },
      { simulation: { "task-trial": { data: { response: null, rt: null } } } },
    );
    expect(records.filter((r) => r.phase === "practice")).toHaveLength(24);
    expect(records.filter((r) => r.phase === "main")).toHaveLength(24);
    expect(practice).toEqual([{ attempts: 3, accuracy: 0, passed: false }]);
  });

  it("ends politely when consent is declined, before any task trial", async () => {
    const { initJsPsych } = await import("jspsych");
    const { buildTimeline } = await import("./timeline");
    const cfg = config();
    const jsPsych = initJsPsych();
    const records: TrialRecord[] = [];
    const earlyEnds: string[] = [];
    const timeline = buildTimeline({
      jsPsych,
      config: cfg,
      curriculum: generateCurriculum(cfg, 5),
      onTrialRecord: (r) => records.push(r),
      onEarlyEnd: (reason) => earlyEnds.push(reason),
    });
    const consent = timeline.find((n) =>
      ((n as { choices?: unknown }).choices as string[] | undefined)?.includes?.("I do not agree"),
    ) as { simulation_options: unknown };
    consent.simulation_options = { data: { response: 1 } };
    await jsPsych.simulate(timeline, "data-only");
    expect(records).toEqual([]);
    expect(earlyEnds).toEqual(["consent-declined"]);
    expect(jsPsych.getDisplayElement().innerHTML).toMatch(/chose not to take part/);
  });

  it("asks a new participant for consent first even without practice (practiceDone is true from the start)", async () => {
    // What the run page sends for a brand-new run of a study with Practice trials = 0.
    const { jsPsych, records } = await runSimulated(
      { practice: { trials: 0 } },
      { resume: { mainTrialsDone: 0, practiceDone: true, practiceTrialsSaved: 0 } },
    );
    const rows = jsPsych.data.get().values() as { trial_type: string; stimulus?: string }[];
    expect(rows.map((r) => r.trial_type).slice(0, 3)).toEqual([
      "browser-check",
      "html-button-response",
      "fullscreen",
    ]);
    expect(rows[1].stimulus).toMatch(/Do you agree/);
    expect(instructionPagesSeen(rows)).toBeGreaterThanOrEqual(3); // all pages, not "Welcome back"
    expect(records.filter((r) => r.phase === "main")).toHaveLength(24);
  });

  it("shows 'Welcome back' without consent only when trials were saved before", async () => {
    const { jsPsych, records } = await runSimulated(
      {},
      { resume: { mainTrialsDone: 0, practiceDone: false, practiceTrialsSaved: 3 } },
    );
    const rows = jsPsych.data.get().values() as { trial_type: string; stimulus?: string }[];
    expect(rows.some((r) => /Do you agree/.test(r.stimulus ?? ""))).toBe(false);
    expect(instructionPagesSeen(rows)).toBe(1); // "Welcome back" with the rules
    expect(records.filter((r) => r.phase === "practice").length).toBeGreaterThan(0);
  });

  it("states the design's estimated duration in the default consent text", async () => {
    const { jsPsych } = await runSimulated({
      blocks: 2,
      trialsPerBlock: 4,
      practice: { trials: 0 },
    });
    const consent = (jsPsych.data.get().values() as { stimulus?: string }[]).find((r) =>
      /Do you agree/.test(r.stimulus ?? ""),
    );
    expect(consent?.stimulus).toMatch(/It takes about 3 minutes\./);
    expect(consent?.stimulus).not.toMatch(/\{duration\}|20 minutes/);
  });

  it("words the break screen for the cue mode", async () => {
    const breaks = async (cueMode: "none" | "cued") =>
      (
        (await runSimulated({ cueMode })).jsPsych.data.get().values() as { stimulus?: string }[]
      ).filter((r) => /Take a short break/.test(r.stimulus ?? ""));
    const cued = await breaks("cued");
    expect(cued).toHaveLength(2);
    for (const b of cued) {
      expect(b.stimulus).not.toMatch(/without warning/);
      expect(b.stimulus).toMatch(/coloured label/);
    }
    for (const b of await breaks("none")) expect(b.stimulus).toMatch(/without warning/);
  });

  it.each([
    ["letter-number", "letter–digit pair", ["letter", "digit"]],
    ["colour-shape", "shape", ["colour", "shape"]],
  ] as const)("runs the %s pair with its own rules and words", async (taskPair, noun, tasks) => {
    const { records, jsPsych } = await runSimulated({ taskPair, cueMode: "cued" });
    const main = records.filter((r) => r.phase === "main");
    expect([0, 1, 2].map((b) => main.find((r) => r.blockIndex === b)!.task)).toEqual([
      tasks[0],
      tasks[1],
      tasks[0],
    ]);
    const breaks = (jsPsych.data.get().values() as { stimulus?: string }[]).filter((r) =>
      /Take a short break/.test(r.stimulus ?? ""),
    );
    for (const b of breaks) expect(b.stimulus).toContain(`coloured label above each ${noun}`);
  });

  it("is reproducible for a seed", async () => {
    const a = await runSimulated();
    const b = await runSimulated();
    const strip = (rs: TrialRecord[]) => rs.map(({ timeElapsedMs: _t, ...r }) => r);
    expect(strip(a.records)).toEqual(strip(b.records));
  });
});

describe("buildTimeline (simulated, visual)", () => {
  it("runs the whole timeline in visual mode, with real DOM trials, under fake timers", async () => {
    vi.useFakeTimers({
      toFake: [
        "setTimeout",
        "clearTimeout",
        "setInterval",
        "clearInterval",
        "Date",
        "performance",
        "requestAnimationFrame",
      ],
    });
    try {
      const { initJsPsych } = await import("jspsych");
      const { buildTimeline } = await import("./timeline");
      const cfg = config({ blocks: 2, cueMode: "cued" });
      const curriculum = generateCurriculum(cfg, 99);
      const jsPsych = initJsPsych();
      jsPsych.randomization.setSeed("99");
      const records: TrialRecord[] = [];
      const sawStimulus: string[] = [];
      const timeline = buildTimeline({
        jsPsych,
        config: cfg,
        curriculum,
        onTrialRecord: (r) => records.push(r),
      });
      let finished = false;
      void jsPsych.simulate(timeline, "visual").then(() => (finished = true));
      for (let t = 0; t < 600_000 && !finished; t += 100) {
        await vi.advanceTimersByTimeAsync(100);
        const stim = jsPsych.getDisplayElement().querySelector("#task-trial-stimulus");
        if (stim && sawStimulus.at(-1) !== stim.textContent) sawStimulus.push(stim.textContent!);
      }
      expect(finished).toBe(true);
      const main = records.filter((r) => r.phase === "main");
      expect(main.map((r) => r.trialIndex)).toEqual([...Array(16).keys()]);
      for (const r of records) expect(trialRecordSchema.parse(r)).toEqual(r);
      expect(sawStimulus.length).toBeGreaterThan(16);
    } finally {
      vi.useRealTimers();
    }
  });
});
