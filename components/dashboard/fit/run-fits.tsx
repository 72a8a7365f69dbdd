// Participant mode of the fit panel: the verdict with its flags, every model's parameters with 95 %
// intervals, log-likelihood, n and BIC, then the posterior predictive check.
import type { FitRow } from "@/lib/core/api-responses";

import {
  ALL_MODELS,
  LINK_TEXT,
  MODEL_LABELS,
  type ModelComparison,
  type ModelName,
  PARAMS,
  type PpcSummary,
  type RunFitRows,
  fmt3,
  fmtBic,
  paramsOf,
} from "./format";
import { ParamLegend, ParamValue } from "./params";
import { PpcView } from "./ppc-chart";
import { PracticeEffect } from "./study-fits";
import { Verdict, VerdictText } from "./verdict";

export function RunFits({
  fits,
  comparison,
  ppc,
}: {
  fits: RunFitRows | undefined;
  comparison: ModelComparison | null;
  ppc: PpcSummary | null;
}) {
  if (!fits || !fits.flexible)
    return (
      <p className="muted" data-testid="fit-empty">
        This participant has not been fitted yet.
      </p>
    );
  const models = ALL_MODELS.filter((m) => fits[m]);
  const linkName = String(fits.flexible.params.link ?? "choice");
  const ps = Object.fromEntries(
    models.map((m) => [m, new Map(paramsOf(fits[m]).map((p) => [p.name, p]))]),
  ) as Record<ModelName, Map<string, ReturnType<typeof paramsOf>[number]>>;
  const shown = PARAMS.filter((p) => models.some((m) => ps[m].has(p.name)));
  const chartModels: ModelName[] = comparison
    ? [comparison.bestNta, ...(comparison.bestBaseline ? [comparison.bestBaseline] : [])]
    : ["flexible", "forgetful"];
  return (
    <>
      <p style={{ margin: 0 }}>
        Data fitted: <strong>{LINK_TEXT[linkName] ?? linkName}</strong> · verdict:{" "}
        <Verdict c={comparison} /> · practice effect γ: <PracticeEffect c={comparison} />
      </p>
      {comparison ? <VerdictText c={comparison} /> : null}
      <div style={{ overflowX: "auto" }}>
        <table className="data" data-testid="fit-params">
          <thead>
            <tr>
              <th>Parameter</th>
              {models.map((m) => (
                <th key={m} className="r-num">
                  {MODEL_LABELS[m]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.name}>
                <td>
                  {p.symbol} <span className="muted">{p.words}</span>
                </td>
                {models.map((m) => {
                  const v = ps[m].get(p.name);
                  return (
                    <td key={m} className="r-num">
                      {v ? <ParamValue p={v} /> : <span className="muted">–</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
            {(
              [
                ["log-likelihood", (f: FitRow) => fmt3(f.logLik)],
                ["free parameters", (f: FitRow) => String(f.nParams)],
                ["trials used", (f: FitRow) => String(f.nTrials)],
                ["BIC", (f: FitRow) => fmtBic(f.bic)],
              ] as const
            ).map(([label, get]) => (
              <tr key={label} data-testid={label === "BIC" ? "fit-bic-row" : undefined}>
                <td>{label}</td>
                {models.map((m) => (
                  <td key={m} className="r-num">
                    {get(fits[m]!)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ParamLegend />
      <h3 style={{ margin: "0.5rem 0 0" }}>Goodness of fit (posterior predictive check)</h3>
      {ppc && ppc.curves.some((p) => p.n > 0) ? (
        <PpcView ppc={ppc} models={chartModels} />
      ) : (
        <p className="muted" data-testid="fit-curves-empty">
          No switch trials with a response to compare.
        </p>
      )}
    </>
  );
}
