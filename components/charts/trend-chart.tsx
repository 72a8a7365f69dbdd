"use client";
// Post-switch performance over switches (the practice trend): x = switch index k, one line per
// stream (participants, flexible model, forgetful model) in their fixed palette colours, with the
// interval of each point as a band. Rows come from lib/core toTrendChartData.
import type { ChartRows, ChartSeries, RecoveryMeasure } from "@/lib/core/recovery";

import { LinePanel } from "./line-panel";
import { colorFor } from "./palette";
import { MEASURE_DIGITS, MEASURE_LABEL } from "./recovery-chart";
import type { Domain } from "./scale";

export function TrendChart({
  title,
  rows,
  series,
  measure,
  positions,
  yDomain,
  testId,
  height = 220,
  bandNote,
}: {
  title: string;
  rows: ChartRows;
  series: ChartSeries[];
  measure: RecoveryMeasure;
  positions: number;
  yDomain?: Domain | null;
  testId?: string;
  height?: number;
  bandNote?: string;
}) {
  return (
    <LinePanel
      title={`${title} (mean of trials 1–${positions})`}
      rows={rows}
      xKey="switchIndex"
      xLabel="Switch k (practice →)"
      yLabel={MEASURE_LABEL[measure]}
      series={series.map((s, i) => ({ ...s, color: colorFor(s.key, i) }))}
      yDomain={yDomain}
      yFromZero={measure !== "meanRtMs"}
      digits={MEASURE_DIGITS[measure]}
      testId={testId}
      height={height}
      bandNote={bandNote}
    />
  );
}
