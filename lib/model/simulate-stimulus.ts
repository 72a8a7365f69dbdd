// Stimulus mode (docs/science.md §10.3; paper App. A.10, batch 1): the model learns a
// participant's explicit trial sequence, one Euler update per trial on that trial's stimulus.
// Batched over parameter sets × seeds (fitting evaluates hundreds of parameter sets at once).
// Logged per trial, before that trial's update (docs/science.md §3): ŷ, L_task = ½‖y* − ŷ‖², gates c.
// The update is train-step.ts (TF.js); its float64 twin for one parameter set is nta-step.ts.
import * as tf from "@tensorflow/tfjs";

import {
  type Architecture,
  type ModelParams,
  gatesPerPath,
  validateArchitecture,
  validateParams,
} from "./config";
import { type RunControl, throwIfAborted, yieldToEventLoop } from "./progress";
import { rngFor } from "./random";
import { initialState } from "./simulate-paper";
import { type StimulusSequence, validateSequence } from "./stimulus-trials";
import { applyUpdate, disposeCoefs, gradientStimulus, makeStepCoefs } from "./train-step";

export type StimulusRunInput = {
  /** paths, dt, gating, init; d_in and d_out are taken from the sequence. */
  arch: Omit<Architecture, "dIn" | "dOut">;
  params: ModelParams[];
  sequence: StimulusSequence;
};

export type StimulusRunOptions = RunControl & { seeds: number; seed?: number; chunkSteps?: number };

export type StimulusRunResult = {
  arch: Architecture;
  params: ModelParams[];
  seeds: number;
  seed: number;
  elements: { paramIndex: number; seedIndex: number }[];
  /** Per element, per trial: ŷ [N, d_out], loss [N], gates [N, P, G], correct [N] (1/0). */
  output: Float32Array[];
  loss: Float32Array[];
  gates: Float32Array[];
  correct: Uint8Array[];
  backend: string;
  wallMs: number;
};

export async function runStimulus(
  input: StimulusRunInput,
  opts: StimulusRunOptions,
): Promise<StimulusRunResult> {
  const t0 = performance.now();
  const { dIn: I, dOut: O } = validateSequence(input.sequence);
  const arch: Architecture = { ...input.arch, dIn: I, dOut: O };
  validateArchitecture(arch);
  input.params.forEach((p, i) => validateParams(p, `params[${i}]`));
  if (!(Number.isInteger(opts.seeds) && opts.seeds > 0))
    throw new Error(`Expected seeds to be a positive integer, but got ${opts.seeds}`);
  const seed = opts.seed ?? 0;
  const trials = input.sequence.trials;
  const N = trials.length,
    P = arch.paths,
    Ng = gatesPerPath(arch);
  const elements = input.params.flatMap((_, pi) =>
    Array.from({ length: opts.seeds }, (_, si) => ({ paramIndex: pi, seedIndex: si })),
  );
  const E = elements.length;
  const K = opts.chunkSteps ?? 120;
  const coefs = makeStepCoefs(
    arch,
    elements.map((el) => input.params[el.paramIndex]),
  );
  let state = initialState(
    arch,
    elements.map((el) => rngFor(seed, el.seedIndex, 0)),
  );
  const output = elements.map(() => new Float32Array(N * O));
  const loss = elements.map(() => new Float32Array(N));
  const gates = elements.map(() => new Float32Array(N * P * Ng));
  const correct = elements.map(() => new Uint8Array(N));
  try {
    for (let start = 0; start < N; start += K) {
      throwIfAborted(opts.signal);
      const n = Math.min(K, N - start);
      const prev = state;
      const out = tf.tidy(() => {
        let st = prev;
        const ys: tf.Tensor[] = [],
          es: tf.Tensor[] = [],
          cs: tf.Tensor[] = [];
        for (let k = 0; k < n; k++) {
          const tr = trials[start + k];
          const x = tf.tensor3d(tr.input, [1, 1, I]); // [1, 1, d_in]
          const yStar = tf.tensor2d(tr.target, [1, O]); // [1, d_out]
          const { G, y, e } = gradientStimulus(st, x, yStar);
          ys.push(y);
          es.push(e);
          cs.push(st.c);
          st = applyUpdate(st, G, coefs);
        }
        const lossT = tf.mul(0.5, tf.sum(tf.square(tf.stack(es)), 2)); // L_task = ½‖y* − ŷ‖² (E2): [n, E]
        return { W: st.W, c: st.c, Y: tf.stack(ys), lossT, C: tf.stack(cs) }; // Y: [n, E, O], C: [n, E, P, N_g, 1]
      });
      state = { W: out.W, c: out.c };
      tf.dispose([prev.W, prev.c]);
      const [Yd, Ld, Cd] = await Promise.all([out.Y.data(), out.lossT.data(), out.C.data()]);
      tf.dispose([out.Y, out.lossT, out.C]);
      for (let k = 0; k < n; k++) {
        const t = start + k;
        const target = trials[t].target;
        for (let e = 0; e < E; e++) {
          let ok = 1;
          for (let o = 0; o < O; o++) {
            const y = Yd[(k * E + e) * O + o];
            output[e][t * O + o] = y;
            if ((y > 0 ? 1 : -1) !== (target[o] > 0 ? 1 : -1)) ok = 0; // response = sign(ŷ)
          }
          correct[e][t] = ok;
          loss[e][t] = Ld[k * E + e];
          gates[e].set(Cd.subarray((k * E + e) * P * Ng, (k * E + e + 1) * P * Ng), t * P * Ng);
        }
      }
      opts.onProgress?.(start + n, N);
      await yieldToEventLoop();
    }
    return {
      arch,
      params: input.params,
      seeds: opts.seeds,
      seed,
      elements,
      output,
      loss,
      gates,
      correct,
      backend: tf.getBackend(),
      wallMs: performance.now() - t0,
    };
  } finally {
    tf.dispose([state.W, state.c]);
    disposeCoefs(coefs);
  }
}

// Re-exported from the TF.js-free module so a browser page can convert results without loading TF.js.
export { toTrialRecords } from "./stimulus-trials";
