// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { toTrialRecord, type TaskTrialDataRow } from "./to-trial-record";

const base = {
  stimulus: "7",
  task_id: "magnitude",
  cue_label: "SMALL / LARGE",
  cue_colour: "#b45309",
  correct_response: "j",
  choices: ["f", "j"],
  fixation_duration: 500,
  response_window: 2000,
  feedback_duration: 500,
  phase: "main",
  trial_index_in_phase: 12,
  block_index: 1,
  trial_in_block: 4,
  congruent: false,
};

async function start(params: Record<string, unknown>) {
  const { initJsPsych } = await import("jspsych");
  const { default: TaskTrialPlugin } = await import("./plugin-task-trial");
  const jsPsych = initJsPsych();
  const finished = jsPsych.run([{ type: TaskTrialPlugin, ...base, ...params }]);
  await vi.advanceTimersByTimeAsync(0); // jsPsych.run starts the first trial asynchronously
  const display = () => jsPsych.getDisplayElement().innerHTML;
  const data = () => jsPsych.data.get().values()[0] as TaskTrialDataRow & { time_elapsed: number };
  return { jsPsych, finished, display, data };
}

describe("task-trial plugin", () => {
  beforeEach(() =>
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] }),
  );
  afterEach(() => vi.useRealTimers());

  it("shows fixation, then the stimulus; measures RT from stimulus onset and gives feedback", async () => {
    const { jsPsych, finished, display, data } = await start({});
    expect(display()).toContain("+");
    expect(display()).not.toContain(">7<");
    jsPsych.pluginAPI.keyDown("j"); // during fixation: ignored
    await vi.advanceTimersByTimeAsync(500);
    expect(display()).toContain(">7<");
    expect(display()).not.toContain("SMALL / LARGE"); // uncued by default
    await vi.advanceTimersByTimeAsync(321);
    jsPsych.pluginAPI.keyDown("J");
    expect(display()).toContain("Correct");
    await vi.advanceTimersByTimeAsync(500);
    await finished;
    const d = data();
    expect(d).toMatchObject({
      response: "j",
      correct: true,
      stimulus: "7",
      task_id: "magnitude",
      trial_index_in_phase: 12,
    });
    expect(d.rt).toBeCloseTo(321, 6);
    expect(toTrialRecord(d)).toMatchObject({
      trialIndex: 12,
      blockIndex: 1,
      trialInBlock: 4,
      response: "j",
      rtMs: d.rt,
      correct: true,
    });
  });

  it("marks a wrong key as an error and shows 'Wrong'", async () => {
    const { jsPsych, finished, display, data } = await start({ fixation_duration: 0 });
    jsPsych.pluginAPI.keyDown("f");
    expect(display()).toContain("Wrong");
    await vi.advanceTimersByTimeAsync(500);
    await finished;
    expect(data()).toMatchObject({ response: "f", correct: false });
  });

  it("ends with no response when the window runs out, ignoring other keys", async () => {
    const { jsPsych, finished, display, data } = await start({
      fixation_duration: 0,
      show_feedback: true,
    });
    jsPsych.pluginAPI.keyDown("x");
    await vi.advanceTimersByTimeAsync(2000);
    expect(display()).toContain("Too slow");
    await vi.advanceTimersByTimeAsync(500);
    await finished;
    expect(data()).toMatchObject({ response: null, rt: null, correct: false });
    expect(toTrialRecord(data())).toMatchObject({ response: null, rtMs: null, correct: false });
  });

  it("shows the task cue in cued mode and skips feedback when disabled", async () => {
    const { jsPsych, finished, display, data } = await start({
      fixation_duration: 0,
      show_cue: true,
      show_feedback: false,
    });
    expect(display()).toContain("SMALL / LARGE");
    jsPsych.pluginAPI.keyDown("j");
    await finished;
    expect(data().correct).toBe(true);
  });

  it("simulates in visual mode by pressing the key after fixation + the simulated RT", async () => {
    const { initJsPsych } = await import("jspsych");
    const { default: TaskTrialPlugin } = await import("./plugin-task-trial");
    const jsPsych = initJsPsych();
    const done = jsPsych.simulate(
      [
        {
          type: TaskTrialPlugin,
          ...base,
          simulation_options: { data: { rt: 345, response: "f" } },
        },
      ],
      "visual",
    );
    await vi.advanceTimersByTimeAsync(500 + 344);
    expect(jsPsych.getDisplayElement().innerHTML).toContain(">7<");
    await vi.advanceTimersByTimeAsync(1);
    expect(jsPsych.getDisplayElement().innerHTML).toContain("Wrong");
    await vi.advanceTimersByTimeAsync(500);
    await done;
    const d = jsPsych.data.get().values()[0] as TaskTrialDataRow;
    expect(d).toMatchObject({ response: "f", correct: false });
    expect(d.rt).toBeCloseTo(345, 6);
  });
});

describe("toTrialRecord", () => {
  const row: TaskTrialDataRow = {
    phase: "practice",
    trial_index_in_phase: 3,
    block_index: 0,
    trial_in_block: 3,
    task_id: "parity",
    stimulus: "4",
    correct_response: "j",
    congruent: false,
    response: "J",
    correct: true,
    rt: 432.25,
    time_elapsed: 9000,
  };

  it("maps snake_case data to a camelCase TrialRecord", () => {
    expect(toTrialRecord(row)).toEqual({
      phase: "practice",
      trialIndex: 3,
      blockIndex: 0,
      trialInBlock: 3,
      task: "parity",
      stimulus: "4",
      correctResponse: "j",
      congruent: false,
      response: "j",
      correct: true,
      rtMs: 432.25,
      timeElapsedMs: 9000,
      output: null,
      loss: null,
      gates: null,
    });
  });

  it("throws naming the field on invalid data", () => {
    expect(() => toTrialRecord({ ...row, trial_index_in_phase: -1 })).toThrow(/trialIndex/);
    expect(() => toTrialRecord({ ...row, stimulus: "<b>" })).toThrow(/stimulus/);
  });
});
