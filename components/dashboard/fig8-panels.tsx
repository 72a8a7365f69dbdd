"use client";
// The Fig. 8 view: participants, flexible model, forgetful model side by side in the same layout
// and on the same y ranges, then post-switch performance over switches. Everything arrives shaped
// (lib/core toFig8View); intervals are drawn as bands and named under each legend.
import type { ReactNode } from "react";

import {
  type Fig8Panel,
  type Fig8View,
  HUMAN_INTERVALS,
  MODEL_INTERVALS,
} from "@/lib/core/recovery";
import { describeMethod } from "@/lib/core/uncertainty";

import { RecoveryChart } from "../charts/recovery-chart";
import { extentOf, seriesKeys, sharedDomain } from "../charts/scale";
import { TrendChart } from "../charts/trend-chart";

const extent = (d: Fig8Panel["error"]) => extentOf(d.rows, seriesKeys(d));

const isHuman = (key: string) => key === "human";

/** What the bands are; nothing when fewer than 2 units leave no interval to draw. */
function bandNote(p: { key: string; intervalUnits: number }) {
  if (p.intervalUnits < 2) return undefined;
  return describeMethod(isHuman(p.key) ? HUMAN_INTERVALS : MODEL_INTERVALS, p.intervalUnits);
}

function unitWord(key: string, n: number) {
  return isHuman(key) ? `participant${n === 1 ? "" : "s"}` : `model stream${n === 1 ? "" : "s"}`;
}

export function Fig8Panels({
  view,
  positions,
  emptyHumanText,
  emptyModelText,
}: {
  view: Fig8View;
  positions: number;
  emptyHumanText: ReactNode;
  emptyModelText: ReactNode;
}) {
  const errorDomain = sharedDomain(
    view.panels.map((p) => extent(p.error)),
    true,
  );
  const lossDomain = sharedDomain(
    view.panels.filter((p) => !isHuman(p.key)).map((p) => extent(p.second)),
    true,
  );
  const humanUnits = view.panels.find((p) => isHuman(p.key))?.intervalUnits ?? 0;
  return (
    <>
      <div className="r-three" data-testid="fig8-panels">
        {view.panels.map((p) => (
          <section key={p.key} className="card" data-testid={`panel-${p.key}`}>
            <h3 style={{ margin: 0 }}>{p.label}</h3>
            <p className="muted" style={{ margin: 0 }} data-testid={`n-${p.key}`}>
              n = {p.streams} {unitWord(p.key, p.streams)}
            </p>
            {p.streams === 1 ? (
              <p className="muted" style={{ margin: 0 }} data-testid={`single-${p.key}`}>
                {isHuman(p.key)
                  ? "One participant: each point is that person's own trials, so no interval is drawn (intervals need at least 2 participants)."
                  : "One model stream: no spread between seeds to show yet."}
              </p>
            ) : null}
            <RecoveryChart
              title="Errors after a switch"
              rows={p.error.rows}
              series={p.error.series}
              measure="errorPct"
              yDomain={errorDomain}
              bandNote={bandNote(p)}
              testId={`recovery-error-${p.key}`}
              emptyText={isHuman(p.key) ? emptyHumanText : emptyModelText}
            />
            <RecoveryChart
              title={isHuman(p.key) ? "Correct RT after a switch" : "Loss after a switch"}
              rows={p.second.rows}
              series={p.second.series}
              measure={p.secondMeasure}
              yDomain={isHuman(p.key) ? undefined : lossDomain}
              bandNote={bandNote(p)}
              testId={`recovery-second-${p.key}`}
              emptyText={isHuman(p.key) ? emptyHumanText : emptyModelText}
            />
          </section>
        ))}
      </div>
      <h2>Post-switch performance over switches (practice)</h2>
      <p className="muted">
        Each point is the mean over trials 1–{positions} after switch k. Falling lines = faster
        recovery with practice. Shaded: 95% bootstrap CI over participants (seeded), ± 1 SE over
        model streams.
      </p>
      <div className="r-three">
        <TrendChart
          title="Error rate after each switch"
          rows={view.trendError.rows}
          series={view.trendError.series}
          measure="errorPct"
          positions={positions}
          testId="trend-error"
          bandNote={humanUnits > 1 ? "CI (participants) / SE (models)" : undefined}
        />
        <TrendChart
          title="Participants: correct RT after each switch"
          rows={view.trendRt.rows}
          series={view.trendRt.series}
          measure="meanRtMs"
          positions={positions}
          testId="trend-rt"
          bandNote={humanUnits > 1 ? "95% bootstrap CI over participants" : undefined}
        />
        <TrendChart
          title="Models: loss after each switch"
          rows={view.trendLoss.rows}
          series={view.trendLoss.series}
          measure="meanLoss"
          positions={positions}
          testId="trend-loss"
          bandNote="± 1 SE over model streams"
        />
      </div>
    </>
  );
}
