import * as tf from "@tensorflow/tfjs";

import { generateCurriculum } from "@/lib/core/curriculum";
import { curriculumTaskPair } from "@/lib/core/curriculum";
import { TASK_PAIR_IDS, defaultStudyConfig, studyConfigSchema } from "@/lib/core/study-config";
import { encodeStimulus, getTaskPair } from "@/lib/core/task-pairs";
import { trialRecordSchema } from "@/lib/core/trial-record";

import { initBackend } from "./backend";
import { stimulusPresets } from "./presets";
import { runStimulus, toTrialRecords } from "./simulate-stimulus";
import { showsSignature, signatureStats } from "./stimulus-search";
import { type StimulusSequence, curriculumToStimulusTrials } from "./stimulus-trials";

beforeAll(async () => {
  await initBackend(["wasm"]);
});

const tiny: StimulusSequence = {
  keys: { left: "f", right: "j" },
  trials: Array.from({ length: 12 }, (_, t) => ({
    input: [t % 2, 1 - (t % 2)],
    target: [t % 2 ? 1 : -1],
    task: t < 6 ? "a" : "b",
    blockIndex: t < 6 ? 0 : 1,
    trialInBlock: t % 6,
    trialIndex: t,
    stimulus: `s${t % 2}`,
    correctResponse: t % 2 ? "j" : "f",
    congruent: true,
  })),
};

it("emits valid TrialRecords whose response and correctness follow the sign of ŷ", async () => {
  const p = stimulusPresets.flexible;
  const res = await runStimulus({ arch: p.arch, params: [p.params], sequence: tiny }, { seeds: 2 });
  const recs = toTrialRecords(res, tiny, 1);
  expect(recs).toHaveLength(12);
  for (const [t, r] of recs.entries()) {
    const parsed = trialRecordSchema.parse(r);
    expect(parsed.response).toBe(r.output! > 0 ? "j" : "f");
    expect(parsed.correct).toBe(parsed.response === tiny.trials[t].correctResponse);
    expect(parsed.loss).toBeCloseTo(0.5 * (tiny.trials[t].target[0] - r.output!) ** 2, 5);
    expect(parsed.gates).toHaveLength(2);
  }
  // before any learning ŷ ≈ 0, loss ≈ ½; later trials are learned
  expect(recs[0].loss!).toBeGreaterThan(0.45);
  expect(recs[5].loss!).toBeLessThan(recs[0].loss!);
});

it("curriculumToStimulusTrials encodes one-hot digits and ±1 targets from the task pair", () => {
  const cur = generateCurriculum(defaultStudyConfig(), 3);
  const seq = curriculumToStimulusTrials(cur);
  expect(seq.trials.length).toBe(cur.trials.length);
  for (const t of seq.trials.slice(0, 30)) {
    expect(t.input.reduce((a, b) => a + b, 0)).toBe(1);
    expect(t.input).toHaveLength(8);
    expect(t.target[0]).toBe(t.correctResponse === cur.keys.right ? 1 : -1);
  }
});

it.each(TASK_PAIR_IDS)(
  "learns each rule of %s from its encoding: flexible is accurate late in blocks, after a switch cost",
  async (taskPair) => {
    const config = studyConfigSchema.parse({ taskPair, blocks: 20, trialsPerBlock: 24 });
    const cur = generateCurriculum(config, 5, 0, [getTaskPair(taskPair).tasks[1].id]);
    const seq = curriculumToStimulusTrials(cur);
    const pair = curriculumTaskPair(cur);
    for (const t of seq.trials) expect(t.input).toEqual(encodeStimulus(pair, t.stimulus));
    const p = stimulusPresets.flexible;
    const res = await runStimulus(
      { arch: p.arch, params: [p.params], sequence: seq },
      { seeds: 4, seed: 1 },
    );
    const accuracy = (pred: (t: StimulusSequence["trials"][number]) => boolean) => {
      const idx = seq.trials.flatMap((t, i) => (pred(t) ? [i] : []));
      const perSeed = res.correct.map((c) => idx.reduce((a, i) => a + c[i], 0) / idx.length);
      return perSeed.reduce((a, b) => a + b, 0) / perSeed.length;
    };
    // second half of every block: both rules learnt
    const late = accuracy((t) => t.trialInBlock >= 12);
    expect(late).toBeGreaterThan(0.9);
    // first trials after a switch: the old rule's answers, so clearly worse
    expect(accuracy((t) => t.blockIndex > 0 && t.trialInBlock < 4)).toBeLessThan(late - 0.15);
  },
);

it("stimulus presets: flexible shows the Fig. 8 signature on default curricula, forgetful does not", async () => {
  const seqs = [11, 12, 13].map((s) =>
    curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), s)),
  );
  const params = [stimulusPresets.flexible.params, stimulusPresets.forgetful.params];
  const before = tf.memory().numTensors;
  const runs = [];
  for (const seq of seqs)
    runs.push({
      res: await runStimulus(
        { arch: stimulusPresets.flexible.arch, params, sequence: seq },
        { seeds: 4, seed: 99 },
      ),
      seq,
    });
  expect(tf.memory().numTensors).toBe(before);
  const flex = signatureStats(runs, 0),
    forg = signatureStats(runs, 1);
  expect(showsSignature(flex)).toBe(true);
  expect(showsSignature(forg)).toBe(false);
  expect(flex.late).toBeLessThan(forg.late);
});

it("is vectorised over parameter sets: a batch equals separate runs", async () => {
  const p = stimulusPresets.flexible.params;
  const ps = [p, { ...p, tauW: 0.2, lambdaL1: 0.3 }];
  const both = await runStimulus(
    { arch: stimulusPresets.flexible.arch, params: ps, sequence: tiny },
    { seeds: 1, seed: 3 },
  );
  const second = await runStimulus(
    { arch: stimulusPresets.flexible.arch, params: [ps[1]], sequence: tiny },
    { seeds: 1, seed: 3 },
  );
  expect(Array.from(both.output[1])).toEqual(Array.from(second.output[0]));
  expect(Array.from(both.output[0])).not.toEqual(Array.from(second.output[0]));
});
