// The js engine's paper-mode run, element by element (no TF.js). Batch elements (parameter set ×
// seed) are independent: each has its own init and data streams (rngFor(seed, seedIndex, ·)), so a
// run can advance one element over a chunk of steps at a time, with its state and scratch in
// cache, and any subset of elements can run anywhere (paper-threads.ts splits them over Node
// worker_threads) with bit-identical results. Numerics are those of jsStep (js-step.ts) on the
// Bartlett factor (random.ts sampleGramFactor): same draws, same float32 rounding of F, same
// summation orders.
import { type Architecture, type ModelParams, REF_BATCH_SIZE, gatesPerPath } from "./config";
import { jsRowCosines, teacherRowInvNorms } from "./js-step";
import { throwIfAborted } from "./progress";
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
  private readonly S32: Float32Array; // B < d_in: S = XᵀX/B as the tfjs engine sees it
  private readonly L: Float64Array;
  private readonly D: Float64Array;
  private readonly G: Float64Array;
  private readonly Tm: Float64Array;
  private readonly gc: Float64Array;
  private readonly etaW: number;
  private readonly etaC: number;
  private readonly decay: number;
  private readonly lnn: number;
  private readonly l1: number;
  private readonly l2: number;

  constructor(
    private readonly setup: JsPaperSetup,
    params: ModelParams,
    seed: number,
    seedIndex: number,
  ) {
    const { arch, B } = setup;
    const { paths: P, dOut: O, dIn: I, dt } = arch;
    const Gd = gatesPerPath(arch);
    // W_p[i,j] ~ N(0, (σ/√d_in)²) stored as float32 (as simulate-paper's initialState), c_p = c0
    const init = rngFor(seed, seedIndex, 0);
    const sd = arch.initScale / Math.sqrt(I);
    this.W = new Float64Array(P * O * I);
    for (let k = 0; k < this.W.length; k++) this.W[k] = Math.fround(sd * init.normal());
    this.c = new Float64Array(P * Gd).fill(Math.fround(arch.initGate));
    this.rng = rngFor(seed, seedIndex, 1);
    this.factor = B >= I;
    this.F = new Float64Array(I * I);
    this.S32 = new Float32Array(I * I);
    this.L = new Float64Array(I * I);
    this.D = new Float64Array(O * I);
    this.G = new Float64Array(O * I);
    this.Tm = new Float64Array(O * I);
    this.gc = new Float64Array(P * Gd);
    this.etaW = dt / params.tauW;
    this.etaC = dt / params.tauC;
    this.decay = 1 - 2 * this.etaW * params.lambdaW;
    this.lnn = params.lambdaNonneg;
    this.l1 = params.lambdaL1;
    this.l2 = params.lambdaL2;
  }

  /** Steps [t0, t1): log gates (and cos_sim on tape steps) before each update, then the loss. */
  run(t0: number, t1: number, logs: JsPaperLogs): void {
    const { arch, sched, onTape, tInv, B } = this.setup;
    const { paths: P, dIn: I } = arch;
    const Gd = gatesPerPath(arch);
    const PG = P * Gd,
      M = sched.teachers.length;
    const { loss, gates, cos } = logs;
    const st = { W: this.W, c: this.c };
    const spb = sched.stepsPerBlock;
    for (let t = t0; t < t1; t++) {
      for (let g = 0; g < PG; g++) gates[t * PG + g] = this.c[g];
      if (cos && onTape![t]) jsRowCosines(arch, st, 0, sched.teachers, tInv, cos, t * P * M);
      const Wstar = sched.targets[sched.blockTarget[Math.floor(t / spb)]];
      if (this.factor) {
        this.rng.bartlettFactor(I, B, this.F);
        loss[t] = this.stepFactor(Wstar);
      } else {
        sampleGram(this.rng, I, B, this.S32, 0, this.L);
        loss[t] = this.stepS(Wstar);
      }
    }
  }

  /** D = W* − Σ_p c_p W_p into this.D (per entry: W* − c_0 W_0 − c_1 W_1 − …, in path order). */
  private residual(Wstar: Float64Array): void {
    const { paths: P, dOut: O, dIn: I } = this.setup.arch;
    const Gd = gatesPerPath(this.setup.arch);
    const D = this.D,
      W = this.W,
      C = this.c;
    if (P === 2) {
      const w1 = O * I;
      for (let o = 0; o < O; o++) {
        const dr = o * I;
        const c0 = C[Gd === 1 ? 0 : o],
          c1 = C[Gd + (Gd === 1 ? 0 : o)];
        for (let i = 0; i < I; i++)
          D[dr + i] = Wstar[dr + i] - c0 * W[dr + i] - c1 * W[w1 + dr + i];
      }
      return;
    }
    for (let o = 0; o < O; o++) {
      const dr = o * I;
      for (let i = 0; i < I; i++) D[dr + i] = Wstar[dr + i];
      for (let q = 0; q < P; q++) {
        const cq = C[q * Gd + (Gd === 1 ? 0 : o)];
        const wr = (q * O + o) * I;
        for (let i = 0; i < I; i++) D[dr + i] -= cq * W[wr + i];
      }
    }
  }

  /** One update with S = F Fᵀ: T = D F, L = ½‖T‖², G = T Fᵀ (triangular). Returns L. */
  private stepFactor(Wstar: Float64Array): number {
    this.residual(Wstar);
    const { dOut: O, dIn: I } = this.setup.arch;
    const D = this.D,
      F = this.F,
      Tm = this.Tm,
      G = this.G;
    // Five output rows at a time: each F entry is loaded once for five rows. Every sum keeps
    // jsStep's order (T[o,j]: k = j…I−1 ascending; G[o,i]: j = 0…i ascending).
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
        Tm[d0 + j] = a0;
        Tm[d1 + j] = a1;
        Tm[d2 + j] = a2;
        Tm[d3 + j] = a3;
        Tm[d4 + j] = a4;
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
          a0 += Tm[d0 + j] * f;
          a1 += Tm[d1 + j] * f;
          a2 += Tm[d2 + j] * f;
          a3 += Tm[d3 + j] * f;
          a4 += Tm[d4 + j] * f;
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
        Tm[dr + j] = a;
      }
      for (let i = 0; i < I; i++) {
        const fr = i * I;
        let a = 0;
        for (let j = 0; j <= i; j++) a += Tm[dr + j] * F[fr + j];
        G[dr + i] = a;
      }
    }
    let L = 0;
    for (let k = 0; k < O * I; k++) L += Tm[k] * Tm[k];
    this.update();
    return 0.5 * L;
  }

  /** One update with an explicit S (B < d_in): G = D S, L = ½⟨G, D⟩. Returns L. */
  private stepS(Wstar: Float64Array): number {
    this.residual(Wstar);
    const { dOut: O, dIn: I } = this.setup.arch;
    const D = this.D,
      S = this.S32,
      G = this.G;
    let L = 0;
    for (let o = 0; o < O; o++) {
      const dr = o * I;
      for (let i = 0; i < I; i++) {
        const sr = i * I;
        let a = 0;
        for (let k = 0; k < I; k++) a += D[dr + k] * S[sr + k];
        G[dr + i] = a;
        L += a * D[dr + i];
      }
    }
    this.update();
    return 0.5 * L;
  }

  /** W ← (1 − 2η_wλ_W) W + η_w c_p G and the gate update, both from the pre-update c (jsStep). */
  private update(): void {
    const { paths: P, dOut: O, dIn: I } = this.setup.arch;
    const Gd = gatesPerPath(this.setup.arch);
    const W = this.W,
      C = this.c,
      G = this.G,
      gc = this.gc;
    const etaW = this.etaW,
      etaC = this.etaC,
      decay = this.decay;
    gc.fill(0);
    if (P === 2) {
      // both paths in one pass over G; each gate's sum still runs over o (then i) in order
      const w1 = O * I;
      for (let o = 0; o < O; o++) {
        const g0 = Gd === 1 ? 0 : o,
          g1 = Gd + g0;
        const k0 = C[g0] * etaW,
          k1 = C[g1] * etaW;
        const r = o * I;
        let acc0 = 0,
          acc1 = 0;
        for (let i = 0; i < I; i++) {
          const g = G[r + i],
            u = W[r + i],
            v = W[w1 + r + i];
          acc0 += u * g;
          acc1 += v * g;
          W[r + i] = decay * u + k0 * g;
          W[w1 + r + i] = decay * v + k1 * g;
        }
        gc[g0] += acc0;
        gc[g1] += acc1;
      }
    } else
      for (let q = 0; q < P; q++) {
        for (let o = 0; o < O; o++) {
          const gi = q * Gd + (Gd === 1 ? 0 : o);
          const cq = C[gi] * etaW;
          const wr = (q * O + o) * I,
            gr = o * I;
          let acc = 0;
          for (let i = 0; i < I; i++) {
            const w = W[wr + i],
              g = G[gr + i];
            acc += w * g;
            W[wr + i] = decay * w + cq * g;
          }
          gc[gi] += acc;
        }
      }
    for (let g = 0; g < Gd; g++) {
      let n1 = 0,
        n2 = 0;
      for (let q = 0; q < P; q++) {
        const v = C[q * Gd + g];
        n1 += Math.abs(v);
        n2 += v * v;
      }
      n2 = Math.sqrt(n2);
      for (let q = 0; q < P; q++) {
        const v = C[q * Gd + g];
        const sgn = Math.sign(v);
        const reg =
          (this.lnn * (sgn - 1)) / 2 +
          2 * this.l1 * (n1 - 1) * sgn +
          (n2 > 0 ? (2 * this.l2 * (n2 - 1) * v) / n2 : 0);
        C[q * Gd + g] = v + etaC * (gc[q * Gd + g] - reg);
      }
    }
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
