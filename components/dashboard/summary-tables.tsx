// Tables beside the charts: switch − repeat costs per stream, and the exclusions applied.
import type { ExclusionReport } from "@/lib/core/analysis";
import { CONGRUENCY_LABEL, type CostRow } from "@/lib/core/recovery";

const f = (v: number | null, digits: number, signed = false) =>
  v === null ? "–" : `${signed && v > 0 ? "+" : ""}${v.toFixed(digits)}`;

/** "+12.3 [4.1, 20.0]": estimate with its interval, or the estimate alone. */
function withCi(v: number | null, ci: [number, number] | null, digits: number) {
  return (
    <>
      {f(v, digits, true)}
      {ci ? (
        <span className="muted r-ci">
          {" "}
          [{f(ci[0], digits)}, {f(ci[1], digits)}]
        </span>
      ) : null}
    </>
  );
}

/**
 * Switch − repeat costs per stream, for all trials and split by congruency (a congruent stimulus
 * needs the same key under both rules, so errors on it cannot come from applying the old rule).
 */
export function CostsTable({ rows, repeatFrom }: { rows: CostRow[]; repeatFrom: number }) {
  return (
    <>
      <table className="data r-costs" data-testid="costs-table">
        <thead>
          <tr>
            <th>Stream</th>
            <th>Trials</th>
            <th>n</th>
            <th>Error, switch (%)</th>
            <th>Error, repeat (%)</th>
            <th>Error cost (pp)</th>
            <th>RT, switch (ms)</th>
            <th>RT, repeat (ms)</th>
            <th>RT cost (ms)</th>
            <th>Loss cost</th>
            <th>Practice: error (pp / switch)</th>
            <th>Practice: RT (ms / switch)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.key}-${r.congruency}`}
              data-testid={`cost-${r.key}-${r.congruency}`}
              className={r.congruency === "all" ? "r-cost-all" : "r-cost-split"}
            >
              <td>{r.congruency === "all" ? r.label : ""}</td>
              <td>{CONGRUENCY_LABEL[r.congruency]}</td>
              <td>{r.units}</td>
              <td>{f(r.switchErrorPct, 1)}</td>
              <td>{f(r.repeatErrorPct, 1)}</td>
              <td>{withCi(r.errorCostPct, r.errorCostCi, 1)}</td>
              <td>{f(r.switchRtMs, 0)}</td>
              <td>{f(r.repeatRtMs, 0)}</td>
              <td>{withCi(r.rtCostMs, r.rtCostCi, 0)}</td>
              <td>{withCi(r.lossCost, r.lossCostCi, 3)}</td>
              <td>{r.congruency === "all" ? withCi(r.errorSlopePct, r.errorSlopeCi, 2) : ""}</td>
              <td>{r.congruency === "all" ? withCi(r.rtSlopeMs, r.rtSlopeCi, 1) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Switch trial = first trial after a switch; repeat = trials {repeatFrom} and later in every
        block. Congruent = the stimulus needs the same key under both rules. n = participants (or
        model streams) with such switch trials. Brackets: 95% bootstrap CI over participants
        (seeded) for participants, ± 1 SE over model streams for the models. RT is for correct
        trials only; the model has no RT (it has a loss), participants have no loss. Practice =
        least-squares slope of the post-switch measure over switch number (negative = improves with
        practice).
      </p>
    </>
  );
}

export function ExclusionList({
  report,
  pilotsExcluded,
}: {
  report: ExclusionReport;
  pilotsExcluded: boolean;
}) {
  const o = report.options;
  return (
    <ul data-testid="exclusions">
      <li>
        {pilotsExcluded ? "Pilot runs left out." : "Pilot runs included."} Only completed runs; main
        phase only (practice trials never count).
      </li>
      <li>
        Anticipations (RT &lt; {o.minRtMs ?? "–"} ms) dropped from every measure:{" "}
        {o.minRtMs === null ? "off" : `${report.counts.anticipation} trials`}.
      </li>
      <li>
        Outlier RTs beyond {o.maxSd ?? "–"} SD of the participant&apos;s own switch / non-switch
        mean dropped from RT:{" "}
        {o.maxSd === null ? "off" : `${report.counts.slowOrFastOutlier} trials`}.
      </li>
      <li>
        RTs right after an error dropped:{" "}
        {o.dropPostError ? `${report.counts.postError} trials` : "off"}.
      </li>
      <li>
        First block (no switch before it) dropped:{" "}
        {o.dropFirstBlock
          ? `${report.counts.firstBlock} trials`
          : "off (it counts towards the repeat baseline)"}
        .
      </li>
      <li>
        Kept: {report.trialsKept} of {report.trialsIn} trials for error rates, {report.rtTrialsKept}{" "}
        correct RTs. Model streams use every trial (no exclusions).
      </li>
    </ul>
  );
}
