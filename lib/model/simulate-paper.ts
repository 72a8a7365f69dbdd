// Paper mode: Gaussian teacher–student simulation of the NTA model (paper §3–§5, Tables 2–4; ref
// lcs/joint_learning.py `simulate_`/`simulate`, docs/science.md §1–§4). Batched over parameter sets × seeds;
// each step draws S = XᵀX/B (Wishart, random.ts) and applies the Euler update (docs/science.md
// (E1)–(E7): nta-step.ts in the js engine, train-step.ts in the tfjs engine).
// Logged per step, before that step's update (docs/science.md §3): L_task, the gates c, and the row cosine
// cos_sim[m, p] between teacher m and student p (docs/science.md §5.3).
import * as tf from "@tensorflow/tfjs";

import {
  type Architecture,
  type ModelParams,
  REF_BATCH_SIZE,
  gatesPerPath,
  validateArchitecture,
  validateParams,
} from "./config";
import { type RunControl, throwIfAborted, yieldToEventLoop } from "./progress";
import { type FastRng, rngFor, sampleGram } from "./random";
import { type PaperCurriculum, type PaperSchedule, buildSchedule } from "./schedule";
import { JsPaperElement, allocLogs, jsPaperSetup } from "./js-paper";
import {
  type NetState,
  applyUpdate,
  disposeCoefs,
  gradientPaper,
  makeStepCoefs,
} from "./train-step";

export type PaperRunInput = {
  arch: Architecture;
  curriculum: PaperCurriculum;
  /** One entry per parameter set; the batch is parameter sets × seeds. */
  params: ModelParams[];
};

export type PaperRunOptions = RunControl & {
  seeds: number;
  /** Base seed; seed index s uses streams deriveSeed(deriveSeed(seed, s), ·) for every parameter set. */
  seed?: number;
  /** Steps per tf.tidy chunk (default: sized to keep a chunk's tensors around 16 MB). */
  chunkSteps?: number;
  /** Log cos_sim every step (needed for Fig 2C, sort_it and total alignment). Default true. */
  recordAlignment?: boolean;
  /** "js": plain-TypeScript float64 loops (js-paper.ts with nta-step.ts; default: fastest at
   * these sizes); "tfjs": batched tensors on the active TF.js backend (train-step.ts). Same data
   * stream. */
  engine?: "js" | "tfjs";
};

export type PaperRunResult = {
  arch: Architecture;
  params: ModelParams[];
  schedule: PaperSchedule;
  seeds: number;
  seed: number;
  /** Batch element e = paramIndex·seeds + seedIndex. */
  elements: { paramIndex: number; seedIndex: number }[];
  /** Per element: L_task per step [T]; gates per step [T, P, G]; cos_sim per step [T, P, M]
   * (js engine: only at tape steps, NaN elsewhere). */
  loss: Float32Array[];
  gates: Float32Array[];
  cos: Float32Array[] | null;
  finalW: Float32Array[]; // [P, d_out, d_in]
  finalC: Float32Array[]; // [P, G]
  /** "js" or the TF.js backend name. */
  backend: string;
  wallMs: number;
};

/** W_p[i,j] ~ N(0, (σ/√d_in)²), c_p = c0 (docs/science.md §1.2). */
export function initialState(arch: Architecture, rngs: FastRng[]): NetState {
  const { paths: P, dOut: O, dIn: I } = arch;
  const Ng = gatesPerPath(arch);
  const sd = arch.initScale / Math.sqrt(I);
  const W = new Float32Array(rngs.length * P * O * I);
  rngs.forEach((r, e) => {
    for (let k = 0; k < P * O * I; k++) W[e * P * O * I + k] = sd * r.normal();
  });
  return {
    W: tf.tensor4d(W, [rngs.length, P, O, I]),
    c: tf.fill([rngs.length, P, Ng, 1], arch.initGate) as tf.Tensor4D,
  };
}

/** cos_sim[n, e, p, m] = (1/d_out) Σ_i cos(W*_m[i,:], W_p[i,:]) (docs/science.md §5.3). */
function rowCosines(Ws: tf.Tensor, teacherUnit: tf.Tensor3D /* [O, I, M] */): tf.Tensor {
  const [n, E, P, O, I] = Ws.shape; // [n, E, P, O, I]
  const norm = tf.sqrt(tf.sum(tf.square(Ws), 4, true));
  const unit = tf.transpose(tf.reshape(tf.div(Ws, norm), [n * E * P, O, I]), [1, 0, 2]); // [O, nEP, I]
  const cos = tf.mean(tf.matMul(unit, teacherUnit), 0); // [nEP, M]
  return tf.reshape(cos, [n, E, P, -1]);
}

export async function runPaper(
  input: PaperRunInput,
  opts: PaperRunOptions,
): Promise<PaperRunResult> {
  const t0 = performance.now();
  const { arch, curriculum, params } = input;
  validateArchitecture(arch);
  params.forEach((p, i) => validateParams(p, `params[${i}]`));
  if (!(Number.isInteger(opts.seeds) && opts.seeds > 0))
    throw new Error(`Expected seeds to be a positive integer, but got ${opts.seeds}`);
  const seed = opts.seed ?? 0;
  const sched = buildSchedule(curriculum, arch.dt, arch.dIn, arch.dOut);
  const { paths: P, dOut: O, dIn: I } = arch;
  const Ng = gatesPerPath(arch);
  const M = sched.teachers.length;
  const B = curriculum.batchSize ?? REF_BATCH_SIZE;
  const elements = params.flatMap((_, pi) =>
    Array.from({ length: opts.seeds }, (_, si) => ({ paramIndex: pi, seedIndex: si })),
  );
  const E = elements.length;
  const T = sched.totalSteps;
  const record = opts.recordAlignment ?? true;
  if ((opts.engine ?? "js") === "js") {
    // element by element over chunks of steps (js-paper.ts); no TF.js tensors
    const setup = jsPaperSetup(arch, curriculum, record, sched);
    const els = elements.map(
      (el) => new JsPaperElement(setup, params[el.paramIndex], seed, el.seedIndex),
    );
    const logs = elements.map(() => allocLogs(setup));
    const Kjs = opts.chunkSteps ?? 1024;
    for (let start = 0; start < T; start += Kjs) {
      throwIfAborted(opts.signal);
      const end = Math.min(T, start + Kjs);
      els.forEach((x, e) => x.run(start, end, logs[e]));
      opts.onProgress?.(end, T);
      await yieldToEventLoop();
    }
    return {
      arch,
      params,
      schedule: sched,
      seeds: opts.seeds,
      seed,
      elements,
      loss: logs.map((l) => l.loss),
      gates: logs.map((l) => l.gates),
      cos: record ? logs.map((l) => l.cos!) : null,
      finalW: els.map((x) => Float32Array.from(x.W)),
      finalC: els.map((x) => Float32Array.from(x.c)),
      backend: "js",
      wallMs: performance.now() - t0,
    };
  }

  const initRngs = elements.map((el) => rngFor(seed, el.seedIndex, 0));
  const dataRngs = elements.map((el) => rngFor(seed, el.seedIndex, 1));
  const K =
    opts.chunkSteps ?? Math.max(16, Math.min(512, Math.floor(4e6 / (E * P * O * I + E * I * I))));

  const coefs = makeStepCoefs(
    arch,
    elements.map((el) => params[el.paramIndex]),
  ); // one row per batch element
  const targets = sched.targets.map((t) => tf.tensor3d(Float32Array.from(t), [1, O, I])); // W*: [1, O, I]
  // unit teacher rows, laid out [O, I, M] for the batched row cosine
  const tUnit = new Float32Array(O * I * M);
  sched.teachers.forEach((Wm, m) => {
    for (let i = 0; i < O; i++) {
      let n = 0;
      for (let j = 0; j < I; j++) n += Wm[i * I + j] ** 2;
      for (let j = 0; j < I; j++) tUnit[(i * I + j) * M + m] = Wm[i * I + j] / Math.sqrt(n);
    }
  });
  const teacherUnit = tf.tensor3d(tUnit, [O, I, M]);

  const loss = elements.map(() => new Float32Array(T));
  const gates = elements.map(() => new Float32Array(T * P * Ng));
  const cos = record ? elements.map(() => new Float32Array(T * P * M)) : null;
  let state = initialState(arch, initRngs);
  const Sbuf = new Float32Array(K * E * I * I);
  const gramScratch = new Float64Array(I * I);
  try {
    for (let start = 0; start < T; start += K) {
      throwIfAborted(opts.signal);
      const n = Math.min(K, T - start);
      for (let k = 0; k < n; k++) {
        for (let e = 0; e < E; e++)
          sampleGram(dataRngs[e], I, B, Sbuf, (k * E + e) * I * I, gramScratch);
      }
      const prev = state;
      const out = tf.tidy(() => {
        // one small upload per step: slicing a big tensor is far slower on wasm
        const S3 = (k: number) =>
          tf.tensor3d(Sbuf.subarray(k * E * I * I, (k + 1) * E * I * I), [E, I, I]); // [E, I, I]
        let st = prev;
        const Ds: tf.Tensor[] = [],
          Gs: tf.Tensor[] = [],
          cs: tf.Tensor[] = [],
          Ws: tf.Tensor[] = [];
        for (let k = 0; k < n; k++) {
          const block = Math.floor((start + k) / sched.stepsPerBlock);
          const { G, D } = gradientPaper(st, targets[sched.blockTarget[block]], S3(k));
          Ds.push(D);
          Gs.push(G);
          cs.push(st.c);
          if (record) Ws.push(st.W);
          st = applyUpdate(st, G, coefs);
        }
        // L_task = ½ tr(D S Dᵀ) = ½⟨G, D⟩ (E2, E4): [n, E]
        const lossT = tf.mul(0.5, tf.sum(tf.mul(tf.stack(Gs), tf.stack(Ds)), [2, 3]));
        const C = tf.stack(cs); // [n, E, P, N_g, 1]
        const cosT = record ? rowCosines(tf.stack(Ws), teacherUnit) : tf.zeros([1]); // [n, E, P, M]
        return { W: st.W, c: st.c, lossT, C, cosT };
      });
      state = { W: out.W, c: out.c };
      tf.dispose([prev.W, prev.c]);
      const [Ld, Cd, cosD] = await Promise.all([out.lossT.data(), out.C.data(), out.cosT.data()]);
      tf.dispose([out.lossT, out.C, out.cosT]);
      for (let k = 0; k < n; k++) {
        const t = start + k;
        for (let e = 0; e < E; e++) {
          loss[e][t] = Ld[k * E + e];
          const g = (k * E + e) * P * Ng;
          gates[e].set(Cd.subarray(g, g + P * Ng), t * P * Ng);
          if (cos)
            cos[e].set(cosD.subarray((k * E + e) * P * M, (k * E + e + 1) * P * M), t * P * M);
        }
      }
      opts.onProgress?.(start + n, T);
      await yieldToEventLoop();
    }
    const [Wd, cd] = await Promise.all([state.W.data(), state.c.data()]);
    return {
      arch,
      params,
      schedule: sched,
      seeds: opts.seeds,
      seed,
      elements,
      loss,
      gates,
      cos,
      finalW: elements.map((_, e) =>
        Float32Array.from(Wd.subarray(e * P * O * I, (e + 1) * P * O * I)),
      ),
      finalC: elements.map((_, e) => Float32Array.from(cd.subarray(e * P * Ng, (e + 1) * P * Ng))),
      backend: tf.getBackend(),
      wallMs: performance.now() - t0,
    };
  } finally {
    tf.dispose([state.W, state.c, teacherUnit, ...targets]);
    disposeCoefs(coefs);
  }
}
