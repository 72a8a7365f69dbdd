// Presets: the paper's configurations (Tables 2–4 columns this model covers) and the stimulus-mode
// presets for the human curriculum. Values and notes: spec §6 and §2.3; authors' configs
// lcs/configs.py `cfg_full_`/`cfg_forgetful_`, fig8_task_switching.ipynb, fig5_NTA_hpam.ipynb.
import { type Architecture, type ModelParams, REF_BATCH_SIZE, defaultArchitecture, lambdasFromRefConfig } from "./config";
import { type PaperCurriculum, alternating } from "./schedule";

export type PaperPreset = {
  name: string;
  figure: string;
  variant: "flexible" | "forgetful";
  arch: Architecture;
  params: ModelParams;
  curriculum: PaperCurriculum;
  notes: string;
};

const base = (tauB: number, tTot: number, tape: number): PaperCurriculum => ({
  teachers: { count: 2 },
  pattern: alternating(2),
  blockDuration: tauB,
  tTot,
  tapeLength: tape,
  batchSize: REF_BATCH_SIZE,
});
const noReg = { lambdaNonneg: 0, lambdaL1: 0, lambdaL2: 0, lambdaW: 0 };

// Fig 2 (Table 2 col. 1): cfg_full_ = strength 0.1, weights nonneg 1, L1 10, L2_W 0 → λ_nn 0.0909, λ_L1 0.4545.
const fig2Reg = { ...lambdasFromRefConfig(0.1, { nonneg: 1, L1: 10, L2W: 0 }), lambdaW: 0 };
// Fig 8 (Table 3): strength 0.09, weights nonneg 1, L1 4 → λ_nn 0.18, λ_L1 0.36.
const fig8Reg = { ...lambdasFromRefConfig(0.09, { nonneg: 1, L1: 4 }), lambdaW: 0 };

export const paperPresets: Record<string, PaperPreset> = {
  "fig2-flexible": {
    name: "fig2-flexible", figure: "fig2", variant: "flexible",
    arch: defaultArchitecture({ dt: 0.001 }),
    params: { tauW: 1.3, tauC: 0.03, ...fig2Reg },
    curriculum: base(1, 20, 10000),
    notes: "Table 2 col. 1 / cfg_full_: τ_w 1.3, τ_c 0.03, dt 0.001, 999 steps per block, 22 scanned blocks, tape 10000.",
  },
  "fig2-forgetful": {
    name: "fig2-forgetful", figure: "fig2", variant: "forgetful",
    arch: defaultArchitecture({ dt: 0.001 }),
    params: { tauW: 1.3, tauC: 1.3, ...noReg },
    curriculum: base(1, 20, 10000),
    notes: "cfg_forgetful_: regularisation strength 0 AND τ_c = τ_w = 1.3 (spec §6).",
  },
  "fig8-flexible": {
    name: "fig8-flexible", figure: "fig8", variant: "flexible",
    arch: defaultArchitecture({ dt: 0.01 }),
    params: { tauW: 0.07, tauC: 0.01, ...fig8Reg },
    curriculum: base(1, 30, 10000),
    notes: "Table 3 Fig 8: τ_w 0.07, τ_c 0.01, dt 0.01 (dt/τ_c = 1, a full gate step), 99 steps per block, tape capped at 3000.",
  },
  "fig8-forgetful": {
    name: "fig8-forgetful", figure: "fig8", variant: "forgetful",
    arch: defaultArchitecture({ dt: 0.01 }),
    params: { tauW: 0.07, tauC: 0.01, ...noReg },
    curriculum: base(1, 30, 10000),
    notes: "Fig 8 forgetful: regularisation off but the FAST gates are kept (τ_c = 0.01), unlike Fig 2 (spec §6).",
  },
};
