// The js engine's paper-mode run, element by element (no TF.js). Batch elements (parameter set ×
// seed) are independent: each has its own init and data streams (rngFor(seed, seedIndex, ·)), so a
// run can advance one element over a chunk of steps at a time, with its state and scratch in
// cache, and any subset of elements can run anywhere (paper-threads.ts splits them over Node
// worker_threads) with bit-identical results. This file holds the data path and the gradient
// G = D S (E4) on the Bartlett factor (random.ts bartlettFactor: the same draws and float32
// rounding as the TF.js engine's S); the update itself is nta-step.ts (residual, applyUpdate).
import { type Architecture, type ModelParams, REF_BATCH_SIZE, gatesPerPath } from "./config";
import { type GatePenalties, type StepSizes, applyUpdate, residual, stepSizes } from "./nta-step";
import { throwIfAborted } from "./progress";
import { rowCosinesInto, teacherRowInvNorms } from "./row-cosines";
import { type FastRng, rngFor, sampleGram } from "./random";
import { type PaperCurriculum, type PaperSchedule, buildSchedule } from "./schedule";

/** Everything an element needs that is shared by the whole run (serialisable inputs → setup). */
export type JsPaperSetup = {
  arch: Architecture;
  sched: PaperSchedule;
  B: number;
  /** 1 at steps where cos_sim is logged (tape steps); null: cos_sim not logged. */
  onTape: Uint8Array | null;
  tInv: Float64Array;
};

export function jsPaperSetup(
  arch: Architecture,
  curriculum: PaperCurriculum,
  record: boolean,
  sched?: PaperSchedule,
): JsPaperSetup {
  const s = sched ?? buildSchedule(curriculum, arch.dt, arch.dIn, arch.dOut);
  let onTape: Uint8Array | null = null;
  if (record) {
    onTape = new Uint8Array(s.totalSteps);
    s.tapeSteps.forEach((t) => (onTape![t] = 1));
  }
  return {
    arch,
    sched: s,
    B: curriculum.batchSize ?? REF_BATCH_SIZE,
    onTape,
    tInv: teacherRowInvNorms(s.teachers, arch.dOut, arch.dIn),
  };
}

/** Per-element logs: L_task [T], gates [T, P, G], cos_sim [T, P, M] (NaN off the tape) or null. */
export type JsPaperLogs = { loss: Float32Array; gates: Float32Array; cos: Float32Array | null };

export function allocLogs(setup: JsPaperSetup): JsPaperLogs {
  const { arch, sched, onTape } = setup;
  const T = sched.totalSteps,
    P = arch.paths,
    M = sched.teachers.length;
  const cos = onTape ? new Float32Array(T * P * M).fill(NaN) : null;
  return { loss: new Float32Array(T), gates: new Float32Array(T * P * gatesPerPath(arch)), cos };
}

/** One batch element: its state, its data stream and its scratch. */
export class JsPaperElement {
  readonly W: Float64Array; // [P, d_out, d_in]
  readonly c: Float64Array; // [P, G]
  private readonly rng: FastRng;
  private readonly factor: boolean;
  private readonly F: Float64Array; // the Bartlett factor F (lower triangle, row-major), S = F Fᵀ
  private readonly S32: Float32Array; // B < d_in: S = XᵀX/B [d_in, d_in] as the tfjs engine sees it
  private readonly gramScratch: Float64Array; // sampleGram's working space [d_in, d_in]
  private readonly D: Float64Array; // D = W* − W_eff [d_out, d_in]
  private readonly G: Float64Array; // G = D S [d_out, d_in]
  private readonly DF: Float64Array; // D F [d_out, d_in]
  private readonly gTask: Float64Array; // ⟨W_p, G⟩ [P, N_g]
  private readonly sizes: StepSizes;
  private readonly pen: GatePenalties;

  constructor(
    private readonly setup: JsPaperSetup,
    params: ModelParams,
    seed: number,
    seedIndex: number,
  ) {
    const { arch, B } = setup;
    const { paths: P, dOut: O, dIn: I, dt } = arch;
    const Ng = gatesPerPath(arch);
    // W_p[i,j] ~ N(0, (σ/√d_in)²) stored as float32 (as simulate-paper's initialState), c_p = c0
    const init = rngFor(seed, seedIndex, 0);
    const sd = arch.initScale / Math.sqrt(I);
    this.W = new Float64Array(P * O * I);
    for (let k = 0; k < this.W.length; k++) this.W[k] = Math.fround(sd * init.normal());
    this.c = new Float64Array(P * Ng).fill(Math.fround(arch.initGate));
    this.rng = rngFor(seed, seedIndex, 1);
    this.factor = B >= I;
    this.F = new Float64Array(I * I);
    this.S32 = new Float32Array(I * I);
    this.gramScratch = new Float64Array(I * I);
    this.D = new Float64Array(O * I);
    this.G = new Float64Array(O * I);
    this.DF = new Float64Array(O * I);
    this.gTask = new Float64Array(P * Ng);
    this.sizes = stepSizes(dt, params);
    this.pen = params;
  }

  /** Steps [t0, t1): log gates (and cos_sim on tape steps) before each update, then the loss. */
  run(t0: number, t1: number, logs: JsPaperLogs): void {
    const { arch, sched, onTape, tInv, B } = this.setup;
    const { paths: P, dIn: I } = arch;
    const PNg = P * gatesPerPath(arch),
      M = sched.teachers.length;
    const { loss, gates, cos } = logs;
    const spb = sched.stepsPerBlock;
    for (let t = t0; t < t1; t++) {
      for (let g = 0; g < PNg; g++) gates[t * PNg + g] = this.c[g];
      if (cos && onTape![t]) rowCosinesInto(arch, this.W, sched.teachers, tInv, cos, t * P * M);
      const Wstar = sched.targets[sched.blockTarget[Math.floor(t / spb)]];
      if (this.factor) {
        this.rng.bartlettFactor(I, B, this.F);
        loss[t] = this.stepFactor(Wstar);
      } else {
        sampleGram(this.rng, I, B, this.S32, 0, this.gramScratch);
        loss[t] = this.stepS(Wstar);
      }
    }
  }

  /** D = W* − W_eff into this.D (E4). */
  private residual(Wstar: Float64Array): void {
    const { paths: P, dOut: O, dIn: I } = this.setup.arch;
    residual(this.D, Wstar, this.W, this.c, P, O, I, gatesPerPath(this.setup.arch));
  }

  /** One update with S = F Fᵀ: DF = D F, L_task = ½‖DF‖², G = DF Fᵀ (triangular). Returns L_task. */
  private stepFactor(Wstar: Float64Array): number {
    this.residual(Wstar);
    const { dOut: O, dIn: I } = this.setup.arch;
    const D = this.D,
      F = this.F,
      DF = this.DF,
      G = this.G;
    // Five output rows at a time: each F entry is loaded once for five rows. Every sum keeps the
    // order of the one-row loop below (DF[o,j]: k = j…I−1 ascending; G[o,i]: j = 0…i ascending).
    let o = 0;
    for (; o + 4 < O; o += 5) {
      const d0 = o * I,
        d1 = d0 + I,
        d2 = d1 + I,
        d3 = d2 + I,
        d4 = d3 + I;
      for (let j = 0; j < I; j++) {
        let a0 = 0,
          a1 = 0,
          a2 = 0,
          a3 = 0,
          a4 = 0;
        for (let k = j; k < I; k++) {
          const f = F[k * I + j]; // Fᵀ[j, k]
          a0 += D[d0 + k] * f;
          a1 += D[d1 + k] * f;
          a2 += D[d2 + k] * f;
          a3 += D[d3 + k] * f;
          a4 += D[d4 + k] * f;
        }
        DF[d0 + j] = a0;
        DF[d1 + j] = a1;
        DF[d2 + j] = a2;
        DF[d3 + j] = a3;
        DF[d4 + j] = a4;
      }
      for (let i = 0; i < I; i++) {
        const fr = i * I;
        let a0 = 0,
          a1 = 0,
          a2 = 0,
          a3 = 0,
          a4 = 0;
        for (let j = 0; j <= i; j++) {
          const f = F[fr + j];
          a0 += DF[d0 + j] * f;
          a1 += DF[d1 + j] * f;
          a2 += DF[d2 + j] * f;
          a3 += DF[d3 + j] * f;
          a4 += DF[d4 + j] * f;
        }
        G[d0 + i] = a0;
        G[d1 + i] = a1;
        G[d2 + i] = a2;
        G[d3 + i] = a3;
        G[d4 + i] = a4;
      }
    }
    for (; o < O; o++) {
      const dr = o * I;
      for (let j = 0; j < I; j++) {
        let a = 0;
        for (let k = j; k < I; k++) a += D[dr + k] * F[k * I + j];
        DF[dr + j] = a;
      }
      for (let i = 0; i < I; i++) {
        const fr = i * I;
        let a = 0;
        for (let j = 0; j <= i; j++) a += DF[dr + j] * F[fr + j];
        G[dr + i] = a;
      }
    }
    let sq = 0;
    for (let k = 0; k < O * I; k++) sq += DF[k] * DF[k];
    this.update();
    return 0.5 * sq;
  }

  /** One update with an explicit S (B < d_in): G = D S, L_task = ½⟨G, D⟩. Returns L_task. */
  private stepS(Wstar: Float64Array): number {
    this.residual(Wstar);
    const { dOut: O, dIn: I } = this.setup.arch;
    const D = this.D,
      S = this.S32,
      G = this.G;
    let dg = 0;
    for (let o = 0; o < O; o++) {
      const dr = o * I;
      for (let i = 0; i < I; i++) {
        const sr = i * I;
        let a = 0;
        for (let k = 0; k < I; k++) a += D[dr + k] * S[sr + k];
        G[dr + i] = a;
        dg += a * D[dr + i];
      }
    }
    this.update();
    return 0.5 * dg;
  }

  /** The simultaneous update of W and c from G (E5–E7, nta-step.ts applyUpdate). */
  private update(): void {
    const { paths: P, dOut: O, dIn: I } = this.setup.arch;
    const Ng = gatesPerPath(this.setup.arch);
    applyUpdate(this.W, this.c, this.G, this.gTask, P, O, I, Ng, this.sizes, this.pen);
  }
}

/** A serialisable slice of a paper-mode run: the elements (parameter set, seed index) to advance. */
export type PaperThreadJob = {
  arch: Architecture;
  curriculum: PaperCurriculum;
  params: ModelParams[];
  seed: number;
  record: boolean;
  elements: { paramIndex: number; seedIndex: number }[];
  /** Steps between progress reports. */
  chunkSteps: number;
};

export type PaperElementOutput = JsPaperLogs & { W: Float64Array; c: Float64Array };

/** Run a job's elements synchronously over the whole schedule (a worker thread's body). Each
 * element runs all its steps before the next starts; onProgress gets element-steps done. */
export function runPaperElements(
  job: PaperThreadJob,
  onProgress?: (elementStepsDone: number) => void,
  signal?: AbortSignal,
): PaperElementOutput[] {
  const setup = jsPaperSetup(job.arch, job.curriculum, job.record);
  const T = setup.sched.totalSteps;
  let done = 0;
  return job.elements.map((el) => {
    const x = new JsPaperElement(setup, job.params[el.paramIndex], job.seed, el.seedIndex);
    const logs = allocLogs(setup);
    for (let t = 0; t < T; t += job.chunkSteps) {
      throwIfAborted(signal);
      const end = Math.min(T, t + job.chunkSteps);
      x.run(t, end, logs);
      done += end - t;
      onProgress?.(done);
    }
    return { ...logs, W: x.W, c: x.c };
  });
}
