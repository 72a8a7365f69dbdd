// Public API of the NTA model engine (docs/model.md). Main-thread UI code should prefer
// `runInWorker` from ./worker-client; Node scripts and tests call the runners directly.
export type { Architecture, ModelParams } from "./config";
export { defaultArchitecture, lambdasFromRefConfig } from "./config";
export { type BackendName, initBackend } from "./backend";
export {
  type PaperPreset,
  type StimulusPreset,
  figurePresets,
  paperPresets,
  stimulusPresets,
} from "./presets";
export { type BlockTarget, type PaperCurriculum, alternating, buildSchedule } from "./schedule";
export { type PaperRunOptions, type PaperRunResult, runPaper } from "./simulate-paper";
export {
  type StimulusRunOptions,
  type StimulusRunResult,
  runStimulus,
  toTrialRecords,
} from "./simulate-stimulus";
export {
  type StimulusSequence,
  type StimulusTrial,
  type TrialEncoder,
  curriculumToStimulusTrials,
  defaultEncoder,
} from "./stimulus-trials";
export { type PaperSummary, summarisePaper } from "./summary";
export * as metrics from "./metrics";
export { type ModelRequest, type ModelResponse, runModel } from "./run";
export { CancelledError } from "./progress";
export { runInWorker } from "./worker-client";
