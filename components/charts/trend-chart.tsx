"use client";
// Post-switch performance over switches (the practice trend): x = switch index k, one line per
// stream (humans, flexible model, forgetful model). Rows come from lib/core toTrendChartData.
import type { ChartRows, ChartSeries, RecoveryMeasure } from "@/lib/core/recovery";

import { LinePanel } from "./line-panel";
import { MEASURE_LABEL } from "./recovery-chart";

export const STREAM_COLORS: Record<string, string> = {
  human: "#222222",
  flexible: "#1f6fb4",
  forgetful: "#d1472c",
};

export function TrendChart({
  title,
  rows,
  series,
  measure,
  positions,
  testId,
  height = 240,
}: {
  title: string;
  rows: ChartRows;
  series: ChartSeries[];
  measure: RecoveryMeasure;
  positions: number;
  testId?: string;
  height?: number;
}) {
  return (
    <LinePanel
      title={`${title} (mean of trials 1–${positions})`}
      rows={rows}
      xKey="switchIndex"
      xLabel="Switch k (practice →)"
      yLabel={MEASURE_LABEL[measure]}
      series={series.map((s) => ({ ...s, color: STREAM_COLORS[s.key] }))}
      yDomain={[0, "auto"]}
      digits={measure === "meanLoss" ? 3 : 1}
      testId={testId}
      height={height}
    />
  );
}
