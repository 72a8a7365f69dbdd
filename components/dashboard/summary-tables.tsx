// Tables beside the charts: switch − repeat costs per stream, and the exclusions applied.
import type { ExclusionReport } from "@/lib/core/analysis";
import type { CostRow } from "@/lib/core/recovery";

const f = (v: number | null, digits: number, signed = false) =>
  v === null ? "–" : `${signed && v > 0 ? "+" : ""}${v.toFixed(digits)}`;

export function CostsTable({ rows, repeatFrom }: { rows: CostRow[]; repeatFrom: number }) {
  return (
    <>
      <table className="data r-costs" data-testid="costs-table">
        <thead>
          <tr>
            <th>Stream</th>
            <th>Error, switch trial (%)</th>
            <th>Error, repeat (%)</th>
            <th>Error cost (pp)</th>
            <th>RT, switch (ms)</th>
            <th>RT, repeat (ms)</th>
            <th>RT cost (ms)</th>
            <th>Loss, switch</th>
            <th>Loss, repeat</th>
            <th>Loss cost</th>
            <th>Error trend (pp per switch)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>{r.label}</td>
              <td>{f(r.switchErrorPct, 1)}</td>
              <td>{f(r.repeatErrorPct, 1)}</td>
              <td>{f(r.errorCostPct, 1, true)}</td>
              <td>{f(r.switchRtMs, 0)}</td>
              <td>{f(r.repeatRtMs, 0)}</td>
              <td>{f(r.rtCostMs, 0, true)}</td>
              <td>{f(r.switchLoss, 3)}</td>
              <td>{f(r.repeatLoss, 3)}</td>
              <td>{f(r.lossCost, 3, true)}</td>
              <td>{f(r.errorSlopePct, 2, true)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Switch trial = first trial after a switch; repeat = trials {repeatFrom} and later in every
        block. RT is for correct trials only; the model has no RT (it has a loss), participants have
        no loss. Error trend = least-squares slope of the post-switch error rate over switch number
        (negative = improves with practice).
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
