// One serialisable request/response pair for every entry point (CLI, Web Worker, tests):
// a paper-mode figure run or a stimulus-mode run over a trial sequence for several parameter sets.
import type { Architecture, ModelParams } from "./config";
import { paperPresets, stimulusPresets } from "./presets";
import type { RunControl } from "./progress";
import type { PaperCurriculum } from "./schedule";
import { type PaperRunResult, runPaper } from "./simulate-paper";
import { type StimulusRunResult, runStimulus } from "./simulate-stimulus";
import type { StimulusSequence } from "./stimulus-trials";
import { type PaperSummary, summarisePaper } from "./summary";

export type PaperRequest = {
  mode: "paper";
  /** Preset names (paperPresets) run together in one batch, or explicit configs sharing arch and curriculum. */
  presets?: string[];
  custom?: { arch: Architecture; curriculum: PaperCurriculum; params: ModelParams[] };
  /** Names of the custom parameter sets (default custom-0, custom-1, …). */
  labels?: string[];
  /** "js" (default): float64 TypeScript; "tfjs": batched tensors on the active TF.js backend. */
  engine?: "js" | "tfjs";
  seeds: number;
  seed?: number;
  /** Keep per-step arrays in the result (large: T × elements). Default false. */
  raw?: boolean;
};

export type StimulusRequest = {
  mode: "stimulus";
  sequence: StimulusSequence;
  /** Stimulus preset names (stimulusPresets) and/or explicit parameter sets; all share arch. */
  presets?: string[];
  params?: ModelParams[];
  arch?: Omit<Architecture, "dIn" | "dOut">;
  seeds: number;
  seed?: number;
};

export type ModelRequest = PaperRequest | StimulusRequest;

export type PaperResponse = {
  mode: "paper";
  labels: string[];
  summaries: PaperSummary[];
  raw?: PaperRunResult;
  backend: string;
  wallMs: number;
};
export type StimulusResponse = { mode: "stimulus"; labels: string[]; result: StimulusRunResult };
export type ModelResponse = PaperResponse | StimulusResponse;

function resolvePaper(req: PaperRequest): {
  arch: Architecture;
  curriculum: PaperCurriculum;
  params: ModelParams[];
  labels: string[];
} {
  if (req.custom)
    return { ...req.custom, labels: req.labels ?? req.custom.params.map((_, i) => `custom-${i}`) };
  const names = req.presets ?? [];
  if (names.length === 0) throw new Error("PaperRequest needs presets or custom");
  const ps = names.map((n) => {
    const p = paperPresets[n];
    if (!p)
      throw new Error(
        `Unknown paper preset "${n}" (known: ${Object.keys(paperPresets).join(", ")})`,
      );
    return p;
  });
  const key = (p: (typeof ps)[number]) => JSON.stringify([p.arch, p.curriculum]);
  if (ps.some((p) => key(p) !== key(ps[0])))
    throw new Error(
      `Presets ${names.join(", ")} differ in architecture or curriculum; run them separately`,
    );
  return {
    arch: ps[0].arch,
    curriculum: ps[0].curriculum,
    params: ps.map((p) => p.params),
    labels: names,
  };
}

/** Run a request on the active TF.js backend (call initBackend first). */
export async function runModel(
  req: ModelRequest,
  control: RunControl = {},
): Promise<ModelResponse> {
  if (req.mode === "paper") {
    const r = resolvePaper(req);
    const res = await runPaper(
      { arch: r.arch, curriculum: r.curriculum, params: r.params },
      { seeds: req.seeds, seed: req.seed, engine: req.engine, ...control },
    );
    return {
      mode: "paper",
      labels: r.labels,
      summaries: r.params.map((_, i) => summarisePaper(res, i)),
      raw: req.raw ? res : undefined,
      backend: res.backend,
      wallMs: res.wallMs,
    };
  }
  const named = (req.presets ?? []).map((n) => {
    const p = stimulusPresets[n];
    if (!p)
      throw new Error(
        `Unknown stimulus preset "${n}" (known: ${Object.keys(stimulusPresets).join(", ")})`,
      );
    return p;
  });
  const params = [...named.map((p) => p.params), ...(req.params ?? [])];
  if (params.length === 0) throw new Error("StimulusRequest needs presets or params");
  const arch = req.arch ?? named[0]?.arch ?? stimulusPresets.flexible.arch;
  const labels = [...(req.presets ?? []), ...(req.params ?? []).map((_, i) => `params-${i}`)];
  const result = await runStimulus(
    { arch, params, sequence: req.sequence },
    { seeds: req.seeds, seed: req.seed, ...control },
  );
  return { mode: "stimulus", labels, result };
}
