// Condition vs condition on the dashboard (server-rendered; charts are client components): per
// stream, post-switch performance over switches with one line per condition, then per condition
// the switch − repeat cost with its interval and the group practice effect with its 95 % CI.
import type { ConditionComparison } from "@/lib/core/condition-view";
import type { GroupEstimate } from "@/lib/core/group-stats";

import { StyledTrendChart } from "./prediction-panels";

const f = (v: number | null | undefined, d: number) =>
  v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(d);
const ci = (c: [number, number] | null, d: number) => (c ? ` [${f(c[0], d)}, ${f(c[1], d)}]` : "");

function Effect({ g, digits, unit }: { g: GroupEstimate | null; digits: number; unit: string }) {
  if (!g) return <span className="muted">–</span>;
  return (
    <>
      {f(g.mean, digits)}
      {unit} [{f(g.ci[0], digits)}, {f(g.ci[1], digits)}] · n = {g.n}
    </>
  );
}

export function ConditionCompare({ view }: { view: ConditionComparison }) {
  return (
    <div data-testid="condition-compare">
      <div className="r-three">
        {view.charts.map((c) => (
          <StyledTrendChart
            key={c.key}
            title={`${c.label}: error after each switch`}
            rows={c.error.rows}
            series={c.error.series}
            measure="errorPct"
            testId={`compare-error-${c.key}`}
          />
        ))}
      </div>
      <div className="r-three">
        {view.charts.map((c) => (
          <StyledTrendChart
            key={c.key}
            title={`${c.label}: ${c.secondMeasure === "meanRtMs" ? "correct RT" : "loss"} after each switch`}
            rows={c.second.rows}
            series={c.second.series}
            measure={c.secondMeasure}
            testId={`compare-second-${c.key}`}
          />
        ))}
      </div>
      <table className="data" data-testid="compare-table">
        <thead>
          <tr>
            <th>condition</th>
            <th>stream</th>
            <th className="r-num">n</th>
            <th className="r-num">switch cost, error (pp) [CI]</th>
            <th className="r-num">switch cost, RT (ms) / loss [CI]</th>
            <th>practice effect on the error cost (per switch) [95 % CI]</th>
            <th>on the RT cost (ms per switch)</th>
          </tr>
        </thead>
        <tbody>
          {view.rows.map((r) => (
            <tr key={`${r.condition}:${r.stream}`} data-testid="compare-row">
              <td>{r.condition}</td>
              <td>{r.label}</td>
              <td className="r-num">{r.units}</td>
              <td className="r-num">
                {f(r.cost.errorCostPct, 1)}
                {ci(r.cost.errorCostCi, 1)}
              </td>
              <td className="r-num">
                {r.stream === "human"
                  ? `${f(r.cost.rtCostMs, 0)}${ci(r.cost.rtCostCi, 0)}`
                  : `${f(r.cost.lossCost, 3)}${ci(r.cost.lossCostCi, 3)}`}
              </td>
              <td>
                <Effect g={r.practice?.error ?? null} digits={4} unit="" />
              </td>
              <td>
                {r.stream === "human" ? (
                  <Effect g={r.practice?.rt ?? null} digits={1} unit=" ms" />
                ) : (
                  <span className="muted">no RTs</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Intervals: 95 % bootstrap CI over participants (seeded), ± 1 SE over model streams; the
        practice effect is the mean per-participant slope with a 95 % t interval
        (docs/group-stats.md). Conditions differ in design, so compare shapes, not switch numbers.
      </p>
    </div>
  );
}
