// Study mode of the fit panel: the study's summed comparison (participants at chance excluded and
// listed), then one row per fitted participant: link, verdict with flags, every model's BIC, the
// practice effect with its interval, and the NTA variants' parameters.
import Link from "next/link";

import {
  ALL_MODELS,
  type FitPanelRun,
  LINK_TEXT,
  MODEL_LABELS,
  type ModelComparison,
  type RunFitRows,
  type StudyComparison,
  fmt3,
  fmtBic,
  signed,
} from "./format";
import { ParamLegend, ParamList } from "./params";
import { Verdict } from "./verdict";

const KEY_PARAMS = ["tauRatio", "tau", "lambda", "prior", "beta"];

export function PracticeEffect({ c }: { c: ModelComparison | null | undefined }) {
  const pe = c?.practiceEffect;
  if (!pe) return <span className="muted">–</span>;
  if (!pe.estimable)
    return (
      <span className="muted" title={`γ ${fmt3(pe.estimate)} [${fmt3(pe.lo)}, ${fmt3(pe.hi)}]`}>
        not estimable
      </span>
    );
  return (
    <span data-testid="fit-practice">
      {fmt3(pe.estimate)}{" "}
      <span className="muted">
        [{pe.loAtBound ? "≤ " : ""}
        {fmt3(pe.lo)}, {pe.hiAtBound ? "≥ " : ""}
        {fmt3(pe.hi)}]
      </span>
      {pe.includesZero ? <span className="muted"> (includes 0)</span> : null}
    </span>
  );
}

export function StudyFits({
  studyId,
  byRun,
  comparisons,
  runs,
  comparison,
}: {
  studyId: string;
  byRun: Map<string, RunFitRows>;
  comparisons: Record<string, ModelComparison | null>;
  runs: FitPanelRun[];
  comparison: StudyComparison | null;
}) {
  if (byRun.size === 0)
    return (
      <p className="muted" data-testid="fit-empty">
        No participant has been fitted yet.
      </p>
    );
  const index = new Map(runs.map((r) => [r.id, r]));
  const label = (id: string) => {
    const run = index.get(id);
    return run ? `Participant #${run.participantIndex}` : `Run ${id.slice(0, 8)}…`;
  };
  const rows = [...byRun.entries()].sort(
    ([a], [b]) =>
      (index.get(a)?.participantIndex ?? Infinity) - (index.get(b)?.participantIndex ?? Infinity),
  );
  const models = ALL_MODELS.filter((m) => rows.some(([, r]) => r[m]));
  return (
    <>
      {comparison ? (
        <p style={{ margin: 0 }} data-testid="fit-comparison">
          <strong>{comparison.participants}</strong> participant
          {comparison.participants === 1 ? "" : "s"} in the sums · Σ BIC flexible{" "}
          <strong>{fmtBic(comparison.bic.flexible)}</strong>, forgetful{" "}
          <strong>{fmtBic(comparison.bic.forgetful)}</strong> · ΔBIC{" "}
          <strong>{signed(comparison.deltaBic)}</strong> → <strong>{comparison.preferred}</strong> ·
          best model per participant:{" "}
          {models.map((m) => `${MODEL_LABELS[m]} ${comparison.bestCount[m] ?? 0}`).join(", ")} · NTA
          misfit: <strong>{comparison.misfitCount}</strong>
          {comparison.excluded.length ? (
            <span data-testid="fit-excluded">
              {" "}
              · excluded (at chance):{" "}
              {comparison.excluded.map((e) => (e.runId ? label(e.runId) : "?")).join(", ")}
            </span>
          ) : null}
        </p>
      ) : (
        <p style={{ margin: 0 }} data-testid="fit-comparison">
          0 participants in the sums · excluded (at chance):{" "}
          <span data-testid="fit-excluded">
            {rows
              .filter(([id]) => comparisons[id]?.atChance)
              .map(([id]) => label(id))
              .join(", ") || "–"}
          </span>
        </p>
      )}
      <div style={{ overflowX: "auto" }}>
        <table className="data" data-testid="fit-table">
          <thead>
            <tr>
              <th>Participant</th>
              <th>Data</th>
              <th>Verdict</th>
              {models.map((m) => (
                <th key={m} className="r-num" title={MODEL_LABELS[m]}>
                  BIC {m}
                </th>
              ))}
              <th>Practice effect γ [95 %]</th>
              <th>Flexible [95 %]</th>
              <th>Forgetful [95 %]</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([id, fits]) => {
              const run = index.get(id);
              const c = comparisons[id];
              const linkName = String(fits.flexible?.params.link ?? "choice");
              return (
                <tr key={id} data-testid={`fit-row-${id}`} style={{ verticalAlign: "top" }}>
                  <td style={{ whiteSpace: "nowrap" }}>
                    <Link href={`/studies/${studyId}/runs/${id}`}>{label(id)}</Link>
                    {run?.isPilot ? (
                      <>
                        {" "}
                        <span className="r-badge r-pilot">pilot</span>
                      </>
                    ) : null}
                  </td>
                  <td>{LINK_TEXT[linkName] ?? linkName}</td>
                  <td>
                    <Verdict c={c} />
                  </td>
                  {models.map((m) => (
                    <td
                      key={m}
                      className="r-num"
                      style={c?.best === m ? { fontWeight: 700 } : undefined}
                    >
                      {fmtBic(fits[m]?.bic)}
                    </td>
                  ))}
                  <td>
                    <PracticeEffect c={c} />
                  </td>
                  <td>
                    <ParamList fit={fits.flexible} only={KEY_PARAMS} />
                  </td>
                  <td>
                    <ParamList fit={fits.forgetful} only={KEY_PARAMS} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted" style={{ margin: 0, fontSize: "0.85rem" }}>
        Bold BIC = the participant&apos;s best model. Verdict: the preferred NTA variant by ΔBIC
        (&gt; 6 strong, &gt; 2 positive), capped at &quot;weak&quot; when the participant is at
        chance or a baseline beats both NTA variants by more than 10 BIC (NTA misfit).
      </p>
      <ParamLegend />
    </>
  );
}
