"use client";
// Recovery after a switch (the Fig. 8 view): x = trial position after the switch, one line per
// practice level (switch k, or a group of switches). Rows come from lib/core toRecoveryChartData.
import type { ChartRows, ChartSeries, RecoveryMeasure } from "@/lib/core/recovery";

import { LEVEL_COLORS, LinePanel } from "./line-panel";

export const MEASURE_LABEL: Record<RecoveryMeasure, string> = {
  errorPct: "Error rate (%)",
  meanRtMs: "Mean correct RT (ms)",
  meanLoss: "Loss (squared error)",
};

export function RecoveryChart({
  title,
  rows,
  series,
  measure,
  testId,
  height = 240,
  emptyText,
}: {
  title: string;
  rows: ChartRows;
  series: ChartSeries[];
  measure: RecoveryMeasure;
  testId?: string;
  height?: number;
  emptyText?: string;
}) {
  return (
    <LinePanel
      title={title}
      rows={rows}
      xKey="position"
      xLabel="Trial after switch (j)"
      yLabel={MEASURE_LABEL[measure]}
      series={series.map((s, i) => ({ ...s, color: LEVEL_COLORS[i % LEVEL_COLORS.length] }))}
      yDomain={
        measure === "errorPct"
          ? [0, "auto"]
          : measure === "meanLoss"
            ? [0, "auto"]
            : ["auto", "auto"]
      }
      digits={measure === "meanLoss" ? 3 : 1}
      testId={testId}
      height={height}
      emptyText={emptyText}
    />
  );
}
