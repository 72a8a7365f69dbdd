"use client";
// The Fig. 8 view: humans, flexible model, forgetful model side by side in the same layout, then
// post-switch performance over switches. Everything arrives shaped (lib/core toFig8View).
import type { Fig8View } from "@/lib/core/recovery";

import { RecoveryChart } from "../charts/recovery-chart";
import { TrendChart } from "../charts/trend-chart";

export function Fig8Panels({
  view,
  positions,
  emptyModelText,
}: {
  view: Fig8View;
  positions: number;
  emptyModelText: string;
}) {
  return (
    <>
      <div className="r-three" data-testid="fig8-panels">
        {view.panels.map((p) => (
          <section key={p.key} className="card" data-testid={`panel-${p.key}`}>
            <h3 style={{ marginTop: 0 }}>
              {p.label}{" "}
              <span className="muted" style={{ fontWeight: 400 }}>
                (n = {p.streams} {p.key === "human" ? "participants" : "model streams"})
              </span>
            </h3>
            <RecoveryChart
              title="Errors after a switch"
              rows={p.error.rows}
              series={p.error.series}
              measure="errorPct"
              testId={`recovery-error-${p.key}`}
              emptyText={p.key === "human" ? "No completed participant runs yet." : emptyModelText}
            />
            <RecoveryChart
              title={
                p.secondMeasure === "meanRtMs" ? "Correct RT after a switch" : "Loss after a switch"
              }
              rows={p.second.rows}
              series={p.second.series}
              measure={p.secondMeasure}
              testId={`recovery-second-${p.key}`}
              emptyText={p.key === "human" ? "No completed participant runs yet." : emptyModelText}
            />
          </section>
        ))}
      </div>
      <h2>Post-switch performance over switches (practice)</h2>
      <p className="muted">
        Each point is the mean over trials 1–{positions} after switch k. Falling lines = faster
        recovery with practice.
      </p>
      <div className="r-three">
        <TrendChart
          title="Error rate after each switch"
          rows={view.trendError.rows}
          series={view.trendError.series}
          measure="errorPct"
          positions={positions}
          testId="trend-error"
        />
        <TrendChart
          title="Participants: correct RT after each switch"
          rows={view.trendRt.rows}
          series={view.trendRt.series}
          measure="meanRtMs"
          positions={positions}
          testId="trend-rt"
        />
        <TrendChart
          title="Models: loss after each switch"
          rows={view.trendLoss.rows}
          series={view.trendLoss.series}
          measure="meanLoss"
          positions={positions}
          testId="trend-loss"
        />
      </div>
    </>
  );
}
