// Paper-mode curricula as data, with the authors' step and block bookkeeping (docs/science.md §4; ref
// lcs/configs.py `Config.__post_init__`, lcs/joint_learning.py `simulate`, c_gt_curriculum 'A_B__').
// A block's target is one teacher, a mixture Σ_m α_m W*_m (Fig 3 task composition), or a
// row-wise assembly (Fig 3 subtask composition: output row i from teacher m_i).
import { type TeacherSpec, makeTeachers } from "./teachers";

export type BlockTarget =
  | { teacher: number }
  | { mix: number[] } // W* = Σ_m mix[m] W*_m
  | { rows: number[] }; // row i of W* = row i of W*_{rows[i]}

export type PaperCurriculum = {
  teachers: TeacherSpec;
  /** Block targets, cycled (default: A, B, A, B, … = 'A_B__'). */
  pattern: BlockTarget[];
  /** Optional blocks that replace the last scanned blocks (e.g. a composition test block). */
  tail?: BlockTarget[];
  /** τ_B: block duration in time units. */
  blockDuration: number;
  /** t_tot: analysed duration in time units. */
  tTot: number;
  /** Requested T_tape (capped at T_tot, docs/science.md §4.3). */
  tapeLength: number;
  /** Batch size B of the Gaussian stream (docs/science.md §1.3). */
  batchSize: number;
  /** true: idealised schedule (round(τ_B/dt) steps per block, no extra block, tape = every step). */
  ideal?: boolean;
};

export type PaperSchedule = {
  stepsPerBlock: number;
  /** Blocks actually scanned: num_blocks + 1 (docs/science.md §4.2). */
  blocks: BlockTarget[];
  totalSteps: number;
  /** Distinct block targets as [d_out, d_in] matrices, and each block's index into them. */
  targets: Float64Array[];
  blockTarget: Int32Array;
  teachers: Float64Array[];
  /** Step index of each tape entry (docs/science.md §4.3), and the analysis dt_tape = t_tot/T_tape. */
  tapeSteps: Int32Array;
  dtTape: number;
};

/** Python float floor division `a // b` (CPython float_floor_div): 1.0 // 0.001 = 999.0. */
export function pyFloorDiv(a: number, b: number): number {
  const mod = a % b;
  const div = (a - mod) / b;
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv += 1;
  return floordiv;
}

function targetMatrix(
  t: BlockTarget,
  teachers: Float64Array[],
  dOut: number,
  dIn: number,
): Float64Array {
  const M = teachers.length;
  const check = (m: number) => {
    if (!(Number.isInteger(m) && m >= 0 && m < M))
      throw new Error(`Teacher index ${m} out of range [0, ${M})`);
  };
  if ("teacher" in t) {
    check(t.teacher);
    return teachers[t.teacher];
  }
  const out = new Float64Array(dOut * dIn);
  if ("mix" in t) {
    if (t.mix.length !== M) throw new Error(`mix needs ${M} weights, but got ${t.mix.length}`);
    t.mix.forEach((a, m) => teachers[m].forEach((v, i) => (out[i] += a * v)));
    return out;
  }
  if (t.rows.length !== dOut)
    throw new Error(`rows needs ${dOut} teacher indices, but got ${t.rows.length}`);
  t.rows.forEach((m, i) => {
    check(m);
    for (let j = 0; j < dIn; j++) out[i * dIn + j] = teachers[m][i * dIn + j];
  });
  return out;
}

export function buildSchedule(
  cur: PaperCurriculum,
  dt: number,
  dIn: number,
  dOut: number,
): PaperSchedule {
  if (cur.pattern.length === 0) throw new Error("PaperCurriculum.pattern must not be empty");
  const f32 = Math.fround;
  let stepsPerBlock: number, numScanned: number, tapeSteps: Int32Array, dtTape: number;
  if (cur.ideal) {
    stepsPerBlock = Math.round(cur.blockDuration / dt);
    numScanned = Math.round(cur.tTot / cur.blockDuration);
    tapeSteps = Int32Array.from({ length: stepsPerBlock * numScanned }, (_, i) => i);
    dtTape = dt;
  } else {
    stepsPerBlock = pyFloorDiv(cur.blockDuration, dt); // 999 (Fig 2) / 99 (Fig 8): docs/science.md §4.1
    numScanned = Math.trunc(pyFloorDiv(cur.tTot, cur.blockDuration) + 1) + 1; // num_blocks + 1: docs/science.md §4.2
    const tTotSteps = Math.trunc(pyFloorDiv(cur.tTot, dt) + 1); // T_tot
    const T = Math.min(cur.tapeLength, tTotSteps); // T_tape capped at T_tot
    const dtTapeSim = f32(cur.tTot / (T - 1)); // linspace(0, t_tot, T)[1]
    tapeSteps = new Int32Array(T);
    let ti = 0;
    for (let k = 0; k < T; k++) {
      const thr = f32(k * dtTapeSim); // entry k: first ti with ti·dt ≥ k·dt_tape_sim, in float32
      while (f32(f32(ti) * f32(dt)) < thr) ti++;
      tapeSteps[k] = ti;
    }
    dtTape = cur.tTot / T; // analysis cadence cfg.dt_tape (docs/science.md §4.3)
  }
  if (stepsPerBlock < 1)
    throw new Error(`blockDuration ${cur.blockDuration} is shorter than dt ${dt}`);
  const tail = cur.tail ?? [];
  if (tail.length > numScanned)
    throw new Error(`tail has ${tail.length} blocks but only ${numScanned} are scanned`);
  const blocks = Array.from({ length: numScanned }, (_, b) =>
    b >= numScanned - tail.length
      ? tail[b - (numScanned - tail.length)]
      : cur.pattern[b % cur.pattern.length],
  );
  const teachers = makeTeachers(dIn, dOut, cur.teachers);
  const keys = new Map<string, number>();
  const targets: Float64Array[] = [];
  const blockTarget = Int32Array.from(blocks, (t) => {
    const key = JSON.stringify(t);
    if (!keys.has(key)) {
      keys.set(key, targets.length);
      targets.push(targetMatrix(t, teachers, dOut, dIn));
    }
    return keys.get(key)!;
  });
  const totalSteps = stepsPerBlock * numScanned;
  if (tapeSteps[tapeSteps.length - 1] >= totalSteps)
    throw new Error("tape runs past the scanned steps");
  return { stepsPerBlock, blocks, totalSteps, targets, blockTarget, teachers, tapeSteps, dtTape };
}

/** The default 'A_B__' pattern over M teachers. */
export const alternating = (M: number): BlockTarget[] =>
  Array.from({ length: M }, (_, m) => ({ teacher: m }));
