// Shared formatting of the fit views (components/dashboard/fit/*; docs/fitting.md "Where it
// runs"); the JSON shapes are lib/core/api-responses.ts's. The comparison itself is computed once, on the server (lib/model/fit/compare.ts).
import {
  type FitRow,
  type FitsResponse as FitsResponseOf,
  errorMessageOf,
  fitsResponseSchema,
} from "@/lib/core/api-responses";
import type { ModelComparison, StudyComparison } from "@/lib/model/fit/compare";
import type { PpcSummary } from "@/lib/model/fit/ppc";
import { ALL_MODELS, MODEL_LABELS, type ModelName } from "@/lib/model/fit/transforms";

export { ALL_MODELS, MODEL_LABELS };
export type { ModelComparison, ModelName, PpcSummary, StudyComparison };

export type LinkName = "ddm" | "choice";

/** GET /api/studies/<id>/fits, with the model's comparison and PPC types. */
export type FitsResponse = FitsResponseOf<ModelComparison, StudyComparison, PpcSummary>;
/**
 * Parse a GET /api/studies/<id>/fits body with lib/core's schema; a body that does not match
 * (an older or broken server) is a readable error, not a crash further down. The schema checks
 * the structure; the model-name keys are narrowed to the model's types, which the server typed
 * its answer with (lib/server/fits.ts fetchFits).
 */
export function parseFitsBody(raw: unknown): { data: FitsResponse } | { error: string } {
  const parsed = fitsResponseSchema.safeParse(raw);
  if (parsed.success) return { data: parsed.data as FitsResponse };
  const first = parsed.error.issues[0];
  const where = first.path.length ? ` at ${first.path.join(".")}` : "";
  return { error: `The server's fits answer is malformed${where}: ${first.message}` };
}

/** A run's fit rows by model. */
export type RunFitRows = Partial<Record<ModelName, FitRow>>;

/** A participant of the study, for labelling rows (from the dashboard's run list). */
export type FitPanelRun = { id: string; participantIndex: number; isPilot: boolean };

export const LINK_TEXT: Record<string, string> = { ddm: "RT + keys", choice: "keys only" };

/** Parameters in display order: symbol and meaning in words. */
export const PARAMS: { name: string; symbol: string; words: string }[] = [
  { name: "tauW", symbol: "τ_w", words: "weights timescale" },
  { name: "tauC", symbol: "τ_c", words: "gates timescale" },
  { name: "tauRatio", symbol: "τ_c/τ_w", words: "timescale ratio" },
  { name: "tau", symbol: "τ", words: "timescale (τ_w = τ_c)" },
  { name: "lambda", symbol: "λ", words: "regulariser" },
  { name: "prior", symbol: "κ", words: "prior knowledge of the rules" },
  { name: "bias", symbol: "bias", words: "key bias (chance model)" },
  { name: "switchCost", symbol: "w₀", words: "old-rule weight right after a switch" },
  { name: "recovery", symbol: "ℓ", words: "recovery length (trials)" },
  { name: "practice", symbol: "γ", words: "practice effect on the switch cost (< 0: falls)" },
  { name: "beta", symbol: "β", words: "inverse temperature" },
  { name: "lapse", symbol: "lapse", words: "share of random key presses" },
  { name: "bound", symbol: "A", words: "DDM boundary separation" },
  { name: "ndt", symbol: "T_er", words: "non-decision time (s)" },
];

/** 3 significant digits, without exponents for ordinary magnitudes. */
export function fmt3(v: unknown): string {
  if (typeof v !== "number" || !Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(2);
  if (a >= 1000) return v.toFixed(0);
  return String(Number(v.toPrecision(3)));
}
export const fmtBic = (v: unknown) =>
  typeof v === "number" && Number.isFinite(v) ? v.toFixed(1) : "–";
export const signed = (v: number) => {
  const t = v.toFixed(1);
  return t === "-0.0" || t === "0.0" ? "0.0" : `${v > 0 ? "+" : ""}${t}`;
};
export const pct = (p: number) => `${Math.round(Math.max(0, Math.min(1, p)) * 100)}%`;

export type ShownParam = (typeof PARAMS)[number] & {
  value: number;
  ci: [number, number] | null;
  method: "profile" | "hessian" | null;
  /** The interval reaches the parameter box (the data do not bound it there). */
  nearBound: boolean;
  /** The group-informed (empirical-Bayes) estimate from a study fit, when there is one. */
  group: number | null;
};

/** The group-informed estimate stored with a run's NTA fit rows by a study fit (docs/fitting.md). */
type StoredGroupEstimate = { theta?: Record<string, number>; quantities?: Record<string, number> };

/** The fitted parameters of a row with their intervals (τ_c/τ_w added where profiled). */
export function paramsOf(fit: FitRow | undefined): ShownParam[] {
  if (!fit) return [];
  const values: Record<string, unknown> = { ...fit.params };
  if (typeof values.tauC === "number" && typeof values.tauW === "number")
    values.tauRatio = values.tauC / values.tauW;
  const u = fit.uncertainty;
  const g = fit.params.groupInformed as StoredGroupEstimate | undefined;
  const groupOf = (name: string) => g?.quantities?.[name] ?? g?.theta?.[name] ?? null;
  return PARAMS.filter((p) => typeof values[p.name] === "number").map((p) => ({
    ...p,
    value: values[p.name] as number,
    ci: u?.ci95?.[p.name] ?? null,
    method: u?.method?.[p.name] ?? (u?.ci95?.[p.name] ? "hessian" : null),
    nearBound: (u?.nearBound ?? u?.atBound ?? []).includes(p.name),
    group: typeof groupOf(p.name) === "number" ? groupOf(p.name) : null,
  }));
}

/** Why a request failed, as text: the API's {error} when there is one. */
export async function errorText(res: Response, what: string): Promise<string> {
  const message = errorMessageOf(await res.json().catch(() => null), "");
  return message ? `${what}: ${message}` : `${what} (HTTP ${res.status})`;
}
