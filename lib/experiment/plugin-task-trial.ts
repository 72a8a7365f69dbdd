// jsPsych plugin for one task trial: fixation → stimulus until a key or the response window ends
// → feedback (optional). Parameters and data are declared once in `info`; TrialType<Info> derives
// the trial type (docs/ARCHITECTURE.md §6.1). RT comes from performance.now() at stimulus onset and
// at the key event (not rounded). The inter-trial interval is jsPsych's post_trial_gap.
// Imports jspsych at runtime (ParameterType), so load this module only via dynamic import in the
// browser (docs/ARCHITECTURE.md §6.3: jspsych touches window at import).
import { ParameterType, type JsPsych, type JsPsychPlugin, type TrialType } from "jspsych";

import { escapeHtml } from "@/lib/core/html";

const info = <const>{
  name: "task-trial",
  version: "1.0.0",
  parameters: {
    /** The stimulus id ("7", "G7", "blue-circle"): stored in the data; shown as text unless stimulus_html is set. */
    stimulus: { type: ParameterType.STRING, default: undefined },
    /** How the stimulus looks, when it is not its text (a coloured shape); null = the text. */
    stimulus_html: { type: ParameterType.HTML_STRING, default: null },
    /** Task id in force ("parity"); stored in the data, never shown unless the cue is on. */
    task_id: { type: ParameterType.STRING, default: undefined },
    /** Cue text shown above the stimulus when show_cue is true. */
    cue_label: { type: ParameterType.STRING, default: "" },
    /** Cue colour (CSS) for the cue text and the stimulus when show_cue is true. */
    cue_colour: { type: ParameterType.STRING, default: "#111827" },
    /** Show the task cue with the stimulus (config.cueMode "cued"). */
    show_cue: { type: ParameterType.BOOL, default: false },
    /** The key that is correct under the task in force. */
    correct_response: { type: ParameterType.KEY, default: undefined },
    /** The two response keys, left then right. */
    choices: { type: ParameterType.KEYS, default: ["f", "j"] },
    /** HTML under the stimulus, e.g. a key reminder. */
    prompt: { type: ParameterType.HTML_STRING, default: null },
    /** Fixation cross before the stimulus, ms (0 = none). */
    fixation_duration: { type: ParameterType.INT, default: 500 },
    /** How long the stimulus waits for a key, ms; afterwards the trial counts as no response. */
    response_window: { type: ParameterType.INT, default: 2000 },
    /** Show "Correct" / "Wrong" / "Too slow" after the response. */
    show_feedback: { type: ParameterType.BOOL, default: true },
    /** Feedback duration, ms. */
    feedback_duration: { type: ParameterType.INT, default: 500 },
    /** "practice" or "main". */
    phase: { type: ParameterType.STRING, default: "main" },
    /** 0-based index of the trial within its phase. */
    trial_index_in_phase: { type: ParameterType.INT, default: undefined },
    /** 0-based block index (practice: mini-block). */
    block_index: { type: ParameterType.INT, default: undefined },
    /** 0-based position within the block. */
    trial_in_block: { type: ParameterType.INT, default: undefined },
    /** Both tasks map the stimulus to the same key. */
    congruent: { type: ParameterType.BOOL, default: undefined },
    /** Simulation only: probability that a simulated participant answers correctly. */
    simulation_accuracy: { type: ParameterType.FLOAT, default: 0.9 },
  },
  data: {
    /** Response time from stimulus onset in ms (performance.now(), unrounded); null if no key. */
    rt: { type: ParameterType.FLOAT },
    /** Key pressed, lower case; null if the window ran out. */
    response: { type: ParameterType.KEY },
    task_id: { type: ParameterType.STRING },
    stimulus: { type: ParameterType.STRING },
    correct_response: { type: ParameterType.KEY },
    correct: { type: ParameterType.BOOL },
    trial_index_in_phase: { type: ParameterType.INT },
    block_index: { type: ParameterType.INT },
    trial_in_block: { type: ParameterType.INT },
    phase: { type: ParameterType.STRING },
    congruent: { type: ParameterType.BOOL },
  },
};

type Info = typeof info;
type Params = TrialType<Info>;
type ParamsWithDefaults = Params &
  Required<{ [K in keyof Info["parameters"]]: NonNullable<Params[K]> }>;

/** jsPsych fills in defaults at runtime; TrialType still marks defaulted parameters optional. */
function withDefaults(trial: Params): ParamsWithDefaults {
  const out: Record<string, unknown> = { ...trial };
  for (const [name, spec] of Object.entries(info.parameters)) {
    if (out[name] === undefined && spec.default !== undefined) out[name] = spec.default;
  }
  return out as ParamsWithDefaults;
}

/** The data one task trial writes (snake_case, jsPsych convention). */
export type TaskTrialData = {
  rt: number | null;
  response: string | null;
  task_id: string;
  stimulus: string;
  correct_response: string;
  correct: boolean;
  trial_index_in_phase: number;
  block_index: number;
  trial_in_block: number;
  phase: string;
  congruent: boolean;
};

export const taskTrialStyles = {
  stage:
    "display:flex;flex-direction:column;align-items:center;justify-content:center;min-height:60vh;gap:1.5rem;",
  stimulus: "font-size:7rem;font-weight:600;line-height:1;font-variant-numeric:tabular-nums;",
  cue: "font-size:1.4rem;font-weight:700;letter-spacing:0.08em;",
  feedback: "font-size:2rem;font-weight:600;",
} as const;

class TaskTrialPlugin implements JsPsychPlugin<Info> {
  static info = info;
  constructor(private jsPsych: JsPsych) {}

  trial(display_element: HTMLElement, params: TrialType<Info>, on_load?: () => void) {
    const trial = withDefaults(params);
    const stage = (inner: string) =>
      `<div class="task-trial" style="${taskTrialStyles.stage}">${inner}</div>`;
    const prompt = params.prompt ?? "";
    let response: { key: string; rt: number } | null = null;
    let listener: unknown = null;
    let onsetMs = 0;

    const showFixation = () => {
      display_element.innerHTML = stage(
        `<div style="${taskTrialStyles.stimulus}" aria-hidden="true">+</div>${prompt}`,
      );
    };

    const showStimulus = () => {
      const colour = trial.show_cue ? `color:${escapeHtml(trial.cue_colour)};` : "";
      const cue = trial.show_cue
        ? `<div class="task-trial-cue" style="${taskTrialStyles.cue}${colour}">${escapeHtml(trial.cue_label)}</div>`
        : "";
      display_element.innerHTML = stage(
        `${cue}<div id="task-trial-stimulus" style="${taskTrialStyles.stimulus}${colour}">${params.stimulus_html ?? escapeHtml(trial.stimulus)}</div>${prompt}`,
      );
      onsetMs = performance.now();
      listener = this.jsPsych.pluginAPI.getKeyboardResponse({
        callback_function: (info: { key: string }) => {
          response = { key: info.key.toLowerCase(), rt: performance.now() - onsetMs };
          this.jsPsych.pluginAPI.clearAllTimeouts();
          showFeedbackThenEnd();
        },
        valid_responses: trial.choices,
        rt_method: "performance",
        persist: false,
        allow_held_key: false,
      });
      this.jsPsych.pluginAPI.setTimeout(() => {
        if (listener) this.jsPsych.pluginAPI.cancelKeyboardResponse(listener as never);
        showFeedbackThenEnd();
      }, trial.response_window);
    };

    const showFeedbackThenEnd = () => {
      const data = this.dataFor(trial, response);
      if (!trial.show_feedback || trial.feedback_duration <= 0)
        return this.jsPsych.finishTrial(data);
      const [text, colour] =
        data.response === null
          ? ["Too slow", "#b45309"]
          : data.correct
            ? ["Correct", "#15803d"]
            : ["Wrong", "#b91c1c"];
      display_element.innerHTML = stage(
        `<div class="task-trial-feedback" style="${taskTrialStyles.feedback}color:${colour}" role="status">${text}</div>`,
      );
      this.jsPsych.pluginAPI.setTimeout(
        () => this.jsPsych.finishTrial(data),
        trial.feedback_duration,
      );
    };

    if (trial.fixation_duration > 0) {
      showFixation();
      on_load?.();
      this.jsPsych.pluginAPI.setTimeout(showStimulus, trial.fixation_duration);
    } else {
      showStimulus();
      on_load?.();
    }
  }

  private dataFor(
    trial: ParamsWithDefaults,
    response: { key: string; rt: number } | null,
  ): TaskTrialData {
    return {
      rt: response?.rt ?? null,
      response: response?.key ?? null,
      task_id: trial.task_id,
      stimulus: trial.stimulus,
      correct_response: trial.correct_response,
      correct: response !== null && response.key === trial.correct_response.toLowerCase(),
      trial_index_in_phase: trial.trial_index_in_phase,
      block_index: trial.block_index,
      trial_in_block: trial.trial_in_block,
      phase: trial.phase,
      congruent: trial.congruent,
    };
  }

  simulate(
    params: TrialType<Info>,
    simulation_mode: "data-only" | "visual",
    simulation_options: { data?: Record<string, unknown> },
    load_callback?: () => void,
  ) {
    const trial = withDefaults(params);
    const simulated = this.simulatedResponse(trial, simulation_options);
    if (simulation_mode === "data-only") {
      load_callback?.();
      this.jsPsych.finishTrial(this.dataFor(trial, simulated));
      return;
    }
    this.trial(this.jsPsych.getDisplayElement(), params, load_callback);
    if (simulated)
      this.jsPsych.pluginAPI.pressKey(simulated.key, trial.fixation_duration + simulated.rt);
  }

  /** A simulated key press: correct with probability simulation_accuracy; options.data may override. */
  private simulatedResponse(
    trial: ParamsWithDefaults,
    options: { data?: Record<string, unknown> },
  ) {
    const r = this.jsPsych.randomization;
    const [left, right] = trial.choices as string[];
    const wrong = trial.correct_response === left ? right : left;
    const isCorrect = r.randomInt(0, 999) < trial.simulation_accuracy * 1000;
    const defaults = {
      rt: Math.round(r.sampleExGaussian(450, 60, 1 / 120, true)),
      response: isCorrect ? trial.correct_response : wrong,
    };
    const merged = this.jsPsych.pluginAPI.mergeSimulationData(defaults, options) as {
      rt: number | null;
      response: string | null;
    };
    if (merged.response === null || merged.rt === null || merged.rt >= trial.response_window)
      return null;
    return { key: String(merged.response).toLowerCase(), rt: merged.rt };
  }
}

export default TaskTrialPlugin;
