"use client";
// The model's predictions before data (study page) and their overlay on the observed data
// (dashboard): per condition, each preset's predicted recovery curves; across conditions, the
// predicted error and loss after each switch, one line per condition and preset (colour = preset,
// dash = condition). Everything arrives shaped (lib/core/predictions.ts).
import { MODEL_INTERVALS, type ChartRows, type RecoveryMeasure } from "@/lib/core/recovery";
import {
  type PredictedCostRow,
  type PredictionView,
  type StyledSeries,
  PRESET_LABEL,
  conditionLabel,
} from "@/lib/core/predictions";
import { describeMethod } from "@/lib/core/uncertainty";

import { LinePanel } from "../charts/line-panel";
import { DASHES, colorFor } from "../charts/palette";
import { MEASURE_DIGITS, MEASURE_LABEL, RecoveryChart } from "../charts/recovery-chart";
import { extentOf, seriesKeys, sharedDomain } from "../charts/scale";

/** Lines by condition and preset (or observed vs predicted) on one switch axis. */
export function StyledTrendChart({
  title,
  rows,
  series,
  measure,
  testId,
  bandNote,
}: {
  title: string;
  rows: ChartRows;
  series: StyledSeries[];
  measure: RecoveryMeasure;
  testId: string;
  bandNote?: string;
}) {
  return (
    <LinePanel
      title={title}
      rows={rows}
      xKey="switchIndex"
      xLabel="Switch k (practice →)"
      yLabel={MEASURE_LABEL[measure]}
      series={series.map((s, i) => ({
        ...s,
        color: colorFor(s.stream, i),
        dash: DASHES[s.dashIndex % DASHES.length],
      }))}
      yFromZero={measure !== "meanRtMs"}
      digits={MEASURE_DIGITS[measure]}
      testId={testId}
      bandNote={bandNote}
    />
  );
}

const f = (v: number | null, d: number) => (v === null ? "–" : v.toFixed(d));
const pm = (v: number | null, se: number | null, d: number) =>
  v === null ? "–" : se === null ? f(v, d) : `${f(v, d)} ± ${f(se, d)}`;

function CostTable({ rows }: { rows: PredictedCostRow[] }) {
  return (
    <table className="data" data-testid="prediction-costs">
      <thead>
        <tr>
          <th>condition</th>
          <th>model</th>
          <th className="r-num">switch cost, error (pp)</th>
          <th className="r-num">switch cost, loss</th>
          <th className="r-num">error slope (pp / switch)</th>
          <th className="r-num">loss slope (per switch)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.condition}:${r.preset}`}>
            <td>{r.condition ?? "–"}</td>
            <td>{PRESET_LABEL[r.preset]}</td>
            <td className="r-num">{pm(r.errorCostPct, r.errorCostSePct, 1)}</td>
            <td className="r-num">{pm(r.lossCost, r.lossCostSe, 3)}</td>
            <td className="r-num">{f(r.errorSlopePct, 2)}</td>
            <td className="r-num">{pm(r.lossSlope, r.lossSlopeSe, 4)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PredictionPanels({ view }: { view: PredictionView }) {
  const panels = view.conditions.flatMap((c) => c.panels);
  const errorDomain = sharedDomain(
    panels.map((p) => extentOf(p.error.rows, seriesKeys(p.error))),
    true,
  );
  const lossDomain = sharedDomain(
    panels.map((p) => extentOf(p.loss.rows, seriesKeys(p.loss))),
    true,
  );
  return (
    <div data-testid="predictions">
      {view.conditions.map((c) => (
        <section
          key={c.key}
          className="card"
          style={{ margin: "0 0 1rem" }}
          data-testid={`prediction-${c.key || "study"}`}
        >
          <h3 style={{ marginTop: 0 }}>
            {c.key ? `Condition ${c.key}` : "Predicted Fig. 8 curves"}:{" "}
            <span className="muted">
              {c.design.blocks} blocks × {c.design.trialsPerBlock} trials ({c.switches} switch
              {c.switches === 1 ? "" : "es"}) · {c.participants} participant seeds × {c.modelSeeds}{" "}
              model seeds
            </span>
          </h3>
          <div className="r-three">
            {c.panels.map((p) => (
              <div key={p.key} data-testid={`prediction-panel-${c.key || "study"}-${p.key}`}>
                <h4 style={{ margin: 0 }}>{p.label}</h4>
                <RecoveryChart
                  title="Errors after a switch (predicted)"
                  rows={p.error.rows}
                  series={p.error.series}
                  measure="errorPct"
                  yDomain={errorDomain}
                  bandNote={
                    p.intervalUnits > 1
                      ? describeMethod(MODEL_INTERVALS, p.intervalUnits)
                      : undefined
                  }
                />
                <RecoveryChart
                  title="Loss after a switch (predicted)"
                  rows={p.loss.rows}
                  series={p.loss.series}
                  measure="meanLoss"
                  yDomain={lossDomain}
                />
              </div>
            ))}
          </div>
        </section>
      ))}
      <h3>
        {view.conditions.length > 1 ? "Condition vs condition" : "Over the session"}: after each
        switch
      </h3>
      <p className="muted">
        Colour = model, line style ={" "}
        {view.conditions.map((c) => conditionLabel(c.key || null)).join(" / ")} (solid first). Each
        point: mean of the first trials after switch k (up to 8); bands ± 1 SE over predicted
        participants.
      </p>
      <div className="r-three">
        <StyledTrendChart
          title="Predicted error after each switch"
          rows={view.trendError.rows}
          series={view.trendError.series}
          measure="errorPct"
          testId="prediction-trend-error"
        />
        <StyledTrendChart
          title="Predicted loss after each switch"
          rows={view.trendLoss.rows}
          series={view.trendLoss.series}
          measure="meanLoss"
          testId="prediction-trend-loss"
          bandNote="± 1 SE over predicted participants"
        />
      </div>
      <CostTable rows={view.costs} />
    </div>
  );
}
