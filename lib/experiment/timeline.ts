// The participant timeline (jsPsych 8): browser check (keyboard needed), welcome + consent,
// fullscreen, instructions, practice (repeated until accurate enough), then the main blocks in
// curriculum order with break screens. A resumed run (trials already saved) skips consent and the
// full instructions; a new run always starts with consent, whatever the practice settings. Every task trial hands its TrialRecord to `onTrialRecord` as it ends; the host saves it
// and shows the end screen only after the last save (so there is no end screen here).
//
// Plugins are imported statically here: this module imports jspsych at runtime, so the host must
// load it with a dynamic import() in the browser (docs/ARCHITECTURE.md §6.3). Pure helpers the host needs
// before that (save queue, toTrialRecord) live in modules that never import jspsych.
import BrowserCheckPlugin from "@jspsych/plugin-browser-check";
import FullscreenPlugin from "@jspsych/plugin-fullscreen";
import HtmlButtonResponsePlugin from "@jspsych/plugin-html-button-response";
import InstructionsPlugin from "@jspsych/plugin-instructions";
import type { JsPsych } from "jspsych";

import type { Curriculum, CurriculumTrial } from "@/lib/core/curriculum-schema";
import { consentTextFor } from "@/lib/core/duration";
import { escapeHtml } from "@/lib/core/html";
import { OUTCOME_MESSAGES, type EarlyOutcome } from "@/lib/core/outcomes";
import type { StudyConfig } from "@/lib/core/study-config";
import { curriculumTaskPair } from "@/lib/core/curriculum";
import { getTask, stimulusViewHtml, type TaskPair } from "@/lib/core/task-pairs";
import type { TrialRecord } from "@/lib/core/trial-record";

import TaskTrialPlugin, { type TaskTrialData } from "./plugin-task-trial";
import { toTrialRecord } from "./to-trial-record";

export type TimelineArray = Parameters<JsPsych["run"]>[0] & unknown[];
type TimelineNode = TimelineArray[number];

export type ResumeState = {
  /** First main trial index not yet saved (0 = start of the main phase). */
  mainTrialsDone: number;
  /** Practice was passed (or given up per onFail "continue") in an earlier session. */
  practiceDone: boolean;
  /**
   * Practice trials already saved in earlier sessions (optional). A resumed practice then starts
   * at the next unused attempt index, so its trialIndex values never collide with saved ones.
   */
  practiceTrialsSaved?: number;
};

/** How a run ends before the main blocks (lib/core/outcomes.ts): the host asks the server for its code. */
export type EarlyEnd = EarlyOutcome;

export type BuildTimelineOptions = {
  jsPsych: JsPsych;
  config: StudyConfig;
  curriculum: Curriculum;
  resume?: ResumeState;
  /** Called as each task trial ends, with its validated record. */
  onTrialRecord: (record: TrialRecord) => void;
  /** Called when the run ends before the main blocks are done (jsPsych.run still resolves). */
  onEarlyEnd?: (reason: EarlyEnd) => void;
  /** Called when the practice phase ends (passed, or failed with onFail "continue"). */
  onPracticeDone?: (result: PracticeResult) => void;
};

export type PracticeResult = { attempts: number; accuracy: number; passed: boolean };

/** Simulation-options key of every task trial: jsPsych.simulate(timeline, mode, { "task-trial": … }). */
export const TASK_TRIAL_SIMULATION_KEY = "task-trial";

// Padding keeps text off the screen edges on narrow (phone) screens too.
const page = (html: string) =>
  `<div class="nta-page" style="max-width:42rem;margin:0 auto;padding:1rem 1.25rem;box-sizing:border-box;text-align:left;line-height:1.6;font-size:1.1rem">${html}</div>`;
const kbd = (k: string) =>
  `<kbd style="display:inline-block;min-width:1.6em;padding:0.1em 0.45em;border:1px solid #9ca3af;border-radius:0.3em;background:#f3f4f6;font-family:inherit;text-align:center">${escapeHtml(k.toUpperCase())}</kbd>`;

/** Key reminder shown under every stimulus. */
export function keyReminderHtml(keys: Curriculum["keys"]): string {
  return `<div style="display:flex;gap:3rem;justify-content:center;color:#6b7280;font-size:1rem">
<span>${kbd(keys.left)} left</span><span>right ${kbd(keys.right)}</span></div>`;
}

function ruleHtml(pair: TaskPair, taskId: string, keys: Curriculum["keys"], cued: boolean): string {
  const t = getTask(pair, taskId);
  const cue = cued
    ? ` <span style="color:${t.colour};font-weight:700">(${escapeHtml(t.label)})</span>`
    : "";
  return `<li><b>${escapeHtml(t.id[0].toUpperCase() + t.id.slice(1))} rule</b>${cue}: press ${kbd(keys.left)} for ${escapeHtml(
    t.describe.left,
  )}, ${kbd(keys.right)} for ${escapeHtml(t.describe.right)}.</li>`;
}

function instructionPages(config: StudyConfig, curriculum: Curriculum, resume: boolean): string[] {
  const pair = curriculumTaskPair(curriculum);
  const cued = config.cueMode === "cued";
  const rules = `<ul>${pair.tasks.map((t) => ruleHtml(pair, t.id, curriculum.keys, cued)).join("")}</ul>`;
  const switching = cued
    ? `The rule changes from time to time. The coloured label above each ${pair.noun} tells you which rule is in force.`
    : "The rule in force is <b>not shown</b>. It stays the same for a while and then may change <b>without warning</b>. " +
      (config.feedback === "trial"
        ? "After each answer you will see whether it was correct: when answers that used to be right start being marked wrong, the rule has probably changed."
        : "Try to notice when the rule has changed.");
  const keysLine = `Keep your fingers on ${kbd(curriculum.keys.left)} and ${kbd(curriculum.keys.right)}. Answer as quickly and accurately as you can; each ${pair.noun} waits ${(
    config.timing.responseWindowMs / 1000
  ).toFixed(1)} s.`;
  if (resume) {
    return [
      page(
        `<h2>Welcome back</h2><p>You continue where you left off.</p>${rules}<p>${switching}</p><p>${keysLine}</p>`,
      ),
    ];
  }
  return [
    page(`<h2>The task</h2><p>${escapeHtml(pair.intro)}</p>${rules}`),
    page(`<h2>Rule changes</h2><p>${switching}</p><p>${keysLine}</p>`),
    curriculum.practice.length > 0
      ? page(
          `<h2>Practice</h2><p>First a short practice with both rules, with feedback after every answer. You need ${Math.round(
            config.practice.minAccuracy * 100,
          )}% correct to continue.</p>`,
        )
      : page(`<h2>Ready</h2><p>The task starts as soon as you continue.</p>`),
  ];
}

function taskTrialNode(
  trial: CurriculumTrial,
  opts: BuildTimelineOptions,
  pair: TaskPair,
  trialIndex: number | (() => number),
  showFeedback: boolean,
  onData: (data: TaskTrialData & { time_elapsed: number }) => void,
): TimelineNode {
  const { config, curriculum } = opts;
  const task = getTask(pair, trial.task);
  return {
    type: TaskTrialPlugin,
    stimulus: trial.stimulus,
    stimulus_html: stimulusViewHtml(pair.view(trial.stimulus)),
    task_id: trial.task,
    cue_label: task.label,
    cue_colour: task.colour,
    show_cue: config.cueMode === "cued",
    correct_response: trial.correctResponse,
    choices: [curriculum.keys.left, curriculum.keys.right],
    prompt: keyReminderHtml(curriculum.keys),
    fixation_duration: config.timing.fixationMs,
    response_window: config.timing.responseWindowMs,
    show_feedback: showFeedback,
    feedback_duration: config.timing.feedbackMs,
    phase: trial.phase,
    trial_index_in_phase: trialIndex,
    block_index: trial.blockIndex,
    trial_in_block: trial.trialInBlock,
    congruent: trial.congruent,
    post_trial_gap: config.timing.itiMs,
    simulation_options: TASK_TRIAL_SIMULATION_KEY,
    on_finish: onData,
  };
}

/** Build the participant timeline for one run (see the file header). */
export function buildTimeline(opts: BuildTimelineOptions): TimelineArray {
  const { jsPsych, config, curriculum, onTrialRecord } = opts;
  const resume = opts.resume ?? { mainTrialsDone: 0, practiceDone: false };
  if (
    !Number.isInteger(resume.mainTrialsDone) ||
    resume.mainTrialsDone < 0 ||
    resume.mainTrialsDone > curriculum.trials.length
  ) {
    throw new Error(
      `resume.mainTrialsDone must be an integer in 0…${curriculum.trials.length}, got ${resume.mainTrialsDone}`,
    );
  }
  const pair = curriculumTaskPair(curriculum);
  const resuming = isResume(resume);
  const timeline: TimelineArray = [];
  const endEarly = (reason: EarlyEnd) => {
    opts.onEarlyEnd?.(reason);
    jsPsych.abortExperiment(outcomeHtml(reason));
  };

  timeline.push({
    type: BrowserCheckPlugin,
    // First, before consent: a phone or tablet is turned away before being asked to agree.
    // browser/os detection (detect-browser) throws on unrecognised user agents, so it is left out.
    features: ["width", "height", "mobile", "fullscreen"],
    inclusion_function: (data: { mobile: boolean }) => !data.mobile,
    exclusion_message: () => {
      opts.onEarlyEnd?.("screened-out");
      return outcomeHtml("screened-out");
    },
  });

  if (!resuming) {
    timeline.push({
      type: HtmlButtonResponsePlugin,
      stimulus: page(
        `<h2>Welcome</h2><p style="white-space:pre-wrap">${escapeHtml(consentTextFor(config))}</p><p>Do you agree to take part?</p>`,
      ),
      choices: ["I agree", "I do not agree"],
      simulation_options: { data: { response: 0 } },
      on_finish: (data: { response: number | null }) => {
        if (data.response !== 0) {
          endEarly("consent-declined");
        }
      },
    });
  }

  timeline.push({
    type: FullscreenPlugin,
    fullscreen_mode: true,
    message: page("<p>The study runs in full-screen mode to keep distractions away.</p>"),
    button_label: "Go full screen",
  });

  timeline.push({
    type: InstructionsPlugin,
    pages: instructionPages(config, curriculum, resuming),
    show_clickable_nav: true,
    allow_backward: true,
  });

  if (!resume.practiceDone && curriculum.practice.length > 0) {
    // Attempts used in earlier sessions count against maxAttempts (the server accepts practice
    // trialIndex < practiceLength·maxAttempts only).
    const firstAttempt = Math.ceil((resume.practiceTrialsSaved ?? 0) / curriculum.practice.length);
    if (firstAttempt < config.practice.maxAttempts)
      timeline.push(practiceNode(opts, pair, firstAttempt));
    else if (config.practice.onFail === "end") {
      timeline.push({
        type: HtmlButtonResponsePlugin,
        stimulus: page("<h2>Practice finished</h2><p>All practice attempts have been used.</p>"),
        choices: ["Finish"],
        on_finish: () => endEarly("practice-failed"),
      });
    }
  }

  // Main blocks, from the first unsaved trial on.
  const remaining = curriculum.trials.filter((t) => t.trialIndex >= resume.mainTrialsDone);
  const lastBlock = curriculum.blocks.length - 1;
  remaining.forEach((trial, i) => {
    timeline.push(
      taskTrialNode(trial, opts, pair, trial.trialIndex, config.feedback === "trial", (data) =>
        onTrialRecord(toTrialRecord(data)),
      ),
    );
    const next = remaining[i + 1];
    const endsBlock = next === undefined || next.blockIndex !== trial.blockIndex;
    const b = trial.blockIndex;
    if (
      endsBlock &&
      config.breakEveryBlocks > 0 &&
      (b + 1) % config.breakEveryBlocks === 0 &&
      b < lastBlock
    ) {
      timeline.push({
        type: HtmlButtonResponsePlugin,
        stimulus: page(
          breakHtml(b + 1, curriculum.blocks.length, config.cueMode === "cued" ? pair.noun : null),
        ),
        choices: ["Continue"],
      });
    }
  });
  return timeline;
}

/** The end screen of an early outcome as jsPsych shows it until the host shows the outcome's code. */
function outcomeHtml(outcome: EarlyOutcome): string {
  const m = OUTCOME_MESSAGES[outcome];
  return page(`<h2>${escapeHtml(m.title)}</h2><p>${escapeHtml(m.body)}</p>`);
}

/**
 * A real resume: this run already saved trials in an earlier session. (Not `practiceDone`: with no
 * practice that is true from the start, and a new participant would skip consent.)
 */
function isResume(resume: ResumeState): boolean {
  return resume.mainTrialsDone > 0 || (resume.practiceTrialsSaved ?? 0) > 0;
}

/** `cuedNoun`: what the cue label sits above in cued mode ("digit"); null when uncued. */
function breakHtml(blocksDone: number, blocks: number, cuedNoun: string | null): string {
  const pct = Math.round((100 * blocksDone) / blocks);
  return `<h2>Take a short break</h2><p>You have finished ${blocksDone} of ${blocks} parts (${pct}%).</p>
<div style="height:0.75rem;background:#e5e7eb;border-radius:0.4rem;overflow:hidden" role="progressbar" aria-valuenow="${pct}" aria-valuemin="0" aria-valuemax="100"><div style="height:100%;width:${pct}%;background:#2563eb"></div></div>
<p>Continue when you are ready. ${
    cuedNoun
      ? `Remember: the coloured label above each ${cuedNoun} tells you which rule is in force.`
      : "Remember: the rule may change without warning."
  }</p>`;
}

/** Practice: the curriculum's practice trials with feedback, repeated until accurate enough. */
function practiceNode(
  opts: BuildTimelineOptions,
  pair: TaskPair,
  firstAttempt: number,
): TimelineNode {
  const { jsPsych, config, curriculum, onTrialRecord } = opts;
  const n = curriculum.practice.length;
  const { minAccuracy, maxAttempts, onFail } = config.practice;
  let attempt = 0;
  let correctThisAttempt = 0;
  const accuracy = () => correctThisAttempt / n;
  const passed = () => accuracy() >= minAccuracy;
  const lastAttempt = () => firstAttempt + attempt + 1 >= maxAttempts;

  const trials = curriculum.practice.map((trial, i) =>
    taskTrialNode(
      trial,
      opts,
      pair,
      () => (firstAttempt + attempt) * n + i,
      true,
      (data) => {
        if (i === 0) correctThisAttempt = 0;
        if (data.correct) correctThisAttempt++;
        onTrialRecord(toTrialRecord(data));
      },
    ),
  );

  const result: TimelineNode = {
    type: HtmlButtonResponsePlugin,
    stimulus: () => {
      const pct = `${Math.round(accuracy() * 100)}%`;
      const need = `${Math.round(minAccuracy * 100)}%`;
      if (passed())
        return page(
          `<h2>Well done</h2><p>You answered ${pct} correctly. The main part starts now.</p>`,
        );
      if (!lastAttempt()) {
        return page(
          `<h2>Let's practise once more</h2><p>You answered ${pct} correctly; ${need} is needed. Look again at the rules on the screen before each answer.</p>`,
        );
      }
      if (onFail === "continue")
        return page(
          `<h2>Practice finished</h2><p>You answered ${pct} correctly. The main part starts now.</p>`,
        );
      return page(
        `<h2>Practice finished</h2><p>You answered ${pct} correctly; ${need} was needed to continue.</p>`,
      );
    },
    choices: () => [passed() || !lastAttempt() || onFail === "continue" ? "Continue" : "Finish"],
    on_finish: () => {
      if (!passed() && lastAttempt() && onFail === "end") {
        endEarly();
      } else if (passed() || lastAttempt()) {
        opts.onPracticeDone?.({
          attempts: firstAttempt + attempt + 1,
          accuracy: accuracy(),
          passed: passed(),
        });
      }
    },
  };
  const endEarly = () => {
    opts.onEarlyEnd?.("practice-failed");
    jsPsych.abortExperiment(outcomeHtml("practice-failed"));
  };

  return {
    timeline: [...trials, result],
    loop_function: () => {
      const again = !passed() && !lastAttempt();
      attempt++;
      return again;
    },
  };
}
