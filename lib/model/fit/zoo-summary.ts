// The zoo report's numbers (docs/generators.md): per generator the verdicts, flags, practice
// effects (per participant and at the group level), random-effects BMS over the fitted models,
// parameter recovery and interval coverage for NTA generators; and the acceptance checks.
import {
  type BmsResult,
  type GroupEstimate,
  type SlopeEstimate,
  bmsRandomEffects,
  groupMean,
} from "@/lib/core/group-stats";

import { MISFIT_THRESHOLD, practiceEstimable } from "./compare";
import { getGenerator } from "./generators";
import type { GeneratorTruth } from "./generators/types";
import { pearson } from "./recovery";
import { type ModelName, type Theta, paramSpecs, toU } from "./transforms";
import type { ZooResult } from "./zoo";

export type SlopeTally = {
  falls: number;
  includesZero: number;
  rises: number;
  notEstimable: number;
};

export type GeneratorSummary = {
  generator: string;
  label: string;
  truth: GeneratorTruth;
  n: number;
  accuracy: { mean: number; min: number; max: number };
  flagged: number;
  flaggedByCode: Record<string, number>;
  verdicts: Record<string, number>;
  strong: number;
  /** Participants the fit calls misfit (a baseline beats both NTA variants by > MISFIT_THRESHOLD) / at chance. */
  misfit: number;
  atChance: number;
  /** Participants whose best baseline beats the best NTA variant by more than MISFIT_THRESHOLD BIC. */
  baselineBeatsNta: number;
  /** Participants whose best model of all is each model. */
  best: Record<string, number>;
  practice: {
    error: SlopeTally;
    rt: SlopeTally;
    /** The fit's model-based practice effect γ (practice-dependent baseline, profile interval). */
    fit: SlopeTally;
    groupError: GroupEstimate | null;
    groupRt: GroupEstimate | null;
  };
  bms: BmsResult | null;
  /** Σ BIC per fitted model over the generator's participants. */
  summedBic: Record<string, number>;
  /** NTA generators: recovery of the generating model's parameters and the verdict. */
  recovery: {
    params: RecoveredParam[];
    verdictRight: number;
    verdictRightHighAccuracy: { right: number; n: number };
    coverage: { covered: number; total: number; byParam: Record<string, [number, number]> };
    /** The same over the participants with accuracy ≥ HIGH_ACCURACY (the issue's human-level ones). */
    coverageHighAccuracy: { covered: number; total: number };
  } | null;
  meanWallS: number;
};

/** r(true, estimate) on the transformed scale: of the ML fit and of the group-informed estimate. */
export type RecoveredParam = {
  param: string;
  n: number;
  r: number;
  rGroup: number | null;
  /** τ_c/τ_w: the same over the participants with accuracy ≥ HIGH_ACCURACY (none: null). */
  highAccuracy?: { n: number; r: number; rGroup: number | null } | null;
};

const tally = (xs: readonly (SlopeEstimate | null)[]): SlopeTally => {
  const t = { falls: 0, includesZero: 0, rises: 0, notEstimable: 0 };
  for (const s of xs) {
    if (!s) t.notEstimable++;
    else if (s.ci[1] < 0) t.falls++;
    else if (s.ci[0] > 0) t.rises++;
    else t.includesZero++;
  }
  return t;
};

const count = (xs: readonly string[]) =>
  xs.reduce<Record<string, number>>((o, x) => ({ ...o, [x]: (o[x] ?? 0) + 1 }), {});

/** High accuracy for the NTA verdict check ("human-level"). */
export const HIGH_ACCURACY = 0.9;

export function summariseGenerator(name: string, rs: readonly ZooResult[]): GeneratorSummary {
  const g = getGenerator(name);
  const acc = rs.map((r) => r.accuracy);
  const fitEffects = rs.map((r) => r.verdict.practiceEffect);
  const models = Object.keys(rs[0]?.fits ?? {}).filter((m) => rs.every((r) => r.fits[m]));
  return {
    generator: name,
    label: g.label,
    truth: g.truth,
    n: rs.length,
    accuracy: {
      mean: acc.reduce((s, v) => s + v, 0) / Math.max(1, acc.length),
      min: Math.min(...acc),
      max: Math.max(...acc),
    },
    flagged: rs.filter((r) => r.quality.flagged).length,
    flaggedByCode: count(rs.flatMap((r) => r.quality.codes)),
    verdicts: count(rs.map((r) => `${r.verdict.label} (${r.verdict.strength})`)),
    strong: rs.filter((r) => r.verdict.strength === "strong").length,
    misfit: rs.filter((r) => r.verdict.misfit).length,
    baselineBeatsNta: rs.filter((r) => (r.verdict.ntaVsBaseline ?? -Infinity) > MISFIT_THRESHOLD)
      .length,
    atChance: rs.filter((r) => r.verdict.atChance).length,
    best: count(rs.map((r) => r.verdict.best)),
    practice: {
      error: tally(rs.map((r) => r.practice.error)),
      rt: tally(rs.map((r) => r.practice.rt)),
      fit: tally(
        fitEffects.map((e) =>
          e && practiceEstimable(e)
            ? { slope: e.estimate, se: 0, ci: [e.lo, e.hi], totalChange: 0, switches: 0 }
            : null,
        ),
      ),
      groupError: groupMean(rs.flatMap((r) => (r.practice.error ? [r.practice.error.slope] : []))),
      groupRt: groupMean(rs.flatMap((r) => (r.practice.rt ? [r.practice.rt.slope] : []))),
    },
    bms:
      models.length >= 2 && rs.length > 0
        ? bmsRandomEffects(
            rs.map((r) => models.map((m) => -r.fits[m].bic / 2)),
            models,
          )
        : null,
    summedBic: Object.fromEntries(
      models.map((m) => [m, rs.reduce((s, r) => s + r.fits[m].bic, 0)]),
    ),
    recovery: g.truth.ntaModel ? ntaRecovery(g.truth.ntaModel, rs) : null,
    meanWallS: rs.reduce((s, r) => s + r.wallMs, 0) / Math.max(1, rs.length) / 1000,
  };
}

function ntaRecovery(model: ModelName, rs: readonly ZooResult[]): GeneratorSummary["recovery"] {
  const own = rs.filter((r) => r.theta && r.fits[model]);
  const params: RecoveredParam[] = [];
  const specs = paramSpecs(model, "ddm");
  const ratio = (t: Theta) => Math.log(t.tauC! / t.tauW!);
  // r(true, estimate) on the transformed scale, for the ML fit and the group-informed estimate
  const recovered = (
    param: string,
    of: readonly ZooResult[],
    truth: (r: ZooResult) => number,
    fitted: (t: Theta) => number,
  ) => {
    const grouped = of.filter((r) => r.groupInformed);
    return {
      param,
      n: of.length,
      r: pearson(
        of.map(truth),
        of.map((r) => fitted(r.fits[model].theta)),
      ),
      rGroup:
        grouped.length >= 3
          ? pearson(
              grouped.map(truth),
              grouped.map((r) => fitted(r.groupInformed!.theta)),
            )
          : null,
    };
  };
  for (const s of specs) {
    // a parameter the generator holds fixed (e.g. no prior knowledge) has no correlation to report
    if (own.length >= 3 && new Set(own.map((r) => r.theta![s.name])).size > 1)
      params.push(
        recovered(
          s.name,
          own,
          (r) => toU(s, r.theta![s.name]!),
          (t) => toU(s, t[s.name]!),
        ),
      );
  }
  if (model === "flexible" && own.length >= 3) {
    const high = own.filter((r) => r.accuracy >= HIGH_ACCURACY);
    params.push({
      ...recovered("tauC/tauW", own, (r) => ratio(r.theta!), ratio),
      highAccuracy:
        high.length >= 3 ? recovered("tauC/tauW", high, (r) => ratio(r.theta!), ratio) : null,
    });
  }
  const right = (r: ZooResult) => r.verdict.label === model;
  const high = rs.filter((r) => r.accuracy >= HIGH_ACCURACY);
  const byParam: Record<string, [number, number]> = {};
  for (const r of own)
    for (const [name, ok] of Object.entries(r.covered ?? {})) {
      const cell = (byParam[name] ??= [0, 0]);
      cell[1]++;
      if (ok) cell[0]++;
    }
  const cells = Object.values(byParam);
  const coveredOf = (r: ZooResult) => Object.values(r.covered ?? {});
  const highOwn = own.filter((r) => r.accuracy >= HIGH_ACCURACY);
  return {
    params,
    verdictRight: rs.filter(right).length,
    verdictRightHighAccuracy: { right: high.filter(right).length, n: high.length },
    coverageHighAccuracy: {
      covered: highOwn.reduce((a, r) => a + coveredOf(r).filter(Boolean).length, 0),
      total: highOwn.reduce((a, r) => a + coveredOf(r).length, 0),
    },
    coverage: {
      covered: cells.reduce((s, c) => s + c[0], 0),
      total: cells.reduce((s, c) => s + c[1], 0),
      byParam,
    },
  };
}

export type ZooCheck = { check: string; value: string; target: string; pass: boolean | null };

/** The acceptance checks of the zoo report (issue 12), from the per-generator summaries. */
export function zooChecks(ss: readonly GeneratorSummary[]): ZooCheck[] {
  const by = (name: string) => ss.find((s) => s.generator === name);
  const out: ZooCheck[] = [];
  const chance = by("chance");
  if (chance) {
    out.push({
      check: "chance responders flagged",
      value: `${chance.flagged}/${chance.n}`,
      target: "100 %",
      pass: chance.flagged === chance.n,
    });
    out.push({
      check: 'chance responders given a "strong" verdict',
      value: `${chance.strong}/${chance.n}`,
      target: "0",
      pass: chance.strong === 0,
    });
  }
  for (const s of ss.filter((x) => x.truth.family !== "nta")) {
    out.push({
      check: `${s.generator}: NTA flagged as misfit wherever a baseline beats it by > ${MISFIT_THRESHOLD} BIC (chance-flagged participants are "at chance" instead)`,
      value: `baseline better for ${s.baselineBeatsNta}/${s.n}; misfit ${s.misfit}, at chance ${s.atChance}`,
      target: "misfit + at chance ≥ baseline better",
      pass: s.misfit + s.atChance >= s.baselineBeatsNta,
    });
  }
  for (const s of ss.filter((x) => x.truth.practice === "constant")) {
    const claims = (t: SlopeTally) => t.falls;
    out.push({
      check: `${s.generator}: practice-driven fall of the switch cost claimed (95 % CI < 0; error slope / RT slope / fit's γ)`,
      value: `${claims(s.practice.error)} / ${claims(s.practice.rt)} / ${claims(s.practice.fit)} of ${s.n}`,
      target: "≈ 2.5 % each (the interval's own error rate)",
      pass: null,
    });
  }
  for (const s of ss.filter((x) => x.recovery)) {
    const rec = s.recovery!;
    const ratio = rec.params.find((p) => p.param === "tauC/tauW");
    out.push({
      check: `${s.generator}: right flexible/forgetful verdict`,
      value: `${rec.verdictRight}/${s.n}; with accuracy ≥ ${HIGH_ACCURACY}: ${rec.verdictRightHighAccuracy.right}/${rec.verdictRightHighAccuracy.n}`,
      target: "≥ 85 %",
      pass: rec.verdictRight >= 0.85 * s.n,
    });
    if (ratio) {
      // the acceptance's population: NTA participants with human-level accuracy; the estimate people
      // read is the group-informed one (hierarchical.ts), the ML one is shown beside it
      const h = ratio.highAccuracy;
      const f = (x: number | null | undefined) => (x == null ? "n/a" : x.toFixed(3));
      out.push({
        check: `${s.generator}: r(true, estimate) log τ_c/τ_w, participants with accuracy ≥ ${HIGH_ACCURACY} (group-informed / maximum likelihood)`,
        value: `${h ? `${f(h.rGroup)} / ${f(h.r)} (n ${h.n})` : "no participant at that accuracy"}; all ${ratio.n}: ${f(ratio.rGroup)} / ${f(ratio.r)}`,
        target: "≥ 0.8",
        pass: h && h.n >= 5 && h.rGroup !== null ? h.rGroup >= 0.8 : null,
      });
    }
    out.push({
      check: `${s.generator}: 95 % interval coverage`,
      value: `${rec.coverage.covered}/${rec.coverage.total} (${((100 * rec.coverage.covered) / Math.max(1, rec.coverage.total)).toFixed(0)} %)`,
      target: "≥ 85 %",
      pass: rec.coverage.total > 0 && rec.coverage.covered >= 0.85 * rec.coverage.total,
    });
  }
  for (const [label, pick] of [
    ["all NTA generators pooled", (r: NonNullable<GeneratorSummary["recovery"]>) => r.coverage],
    [
      `NTA participants with accuracy ≥ ${HIGH_ACCURACY} pooled`,
      (r: NonNullable<GeneratorSummary["recovery"]>) => r.coverageHighAccuracy,
    ],
  ] as const) {
    const recs = ss.flatMap((x) => (x.recovery ? [pick(x.recovery)] : []));
    if (recs.length < 2) continue;
    const covered = recs.reduce((a, c) => a + c.covered, 0),
      total = recs.reduce((a, c) => a + c.total, 0);
    out.push({
      check: `${label}: 95 % interval coverage`,
      value: `${covered}/${total} (${((100 * covered) / Math.max(1, total)).toFixed(0)} %)`,
      target: "≥ 85 %",
      pass: total > 0 && covered >= 0.85 * total,
    });
  }
  const falls = by("practice-reduced"),
    constant = by("constant-cost");
  if (falls && constant)
    for (const m of ["groupError", "groupRt"] as const) {
      const a = falls.practice[m],
        b = constant.practice[m];
      const ci = (g: GroupEstimate | null) =>
        g ? `[${g.ci[0].toPrecision(2)}, ${g.ci[1].toPrecision(2)}]` : "n/a";
      out.push({
        check: `group practice effect (${m === "groupError" ? "error" : "RT"} cost slope): practice-reduced vs constant-cost (${falls.n} vs ${constant.n}) told apart`,
        value: `${ci(a)} vs ${ci(b)}`,
        target: "CI excludes 0 for practice-reduced only",
        pass: !!a && !!b && a.ci[1] < 0 && !b.excludesZero,
      });
    }
  return out;
}
