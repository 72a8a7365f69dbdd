"use client";
// Recovery after a switch (the Fig. 8 view): x = trial position after the switch, one line per
// practice level (switch k, or a group of switches) on the palette's ordered scale, earliest
// darkest; bands = the interval of each point. Rows come from lib/core toRecoveryChartData.
import type { ReactNode } from "react";

import type { ChartRows, ChartSeries, RecoveryMeasure } from "@/lib/core/recovery";

import { LinePanel } from "./line-panel";
import { LEVEL_ORDER_NOTE, levelColors } from "./palette";
import type { Domain } from "./scale";

export const MEASURE_LABEL: Record<RecoveryMeasure, string> = {
  errorPct: "Error rate (%)",
  meanRtMs: "Mean correct RT (ms)",
  meanLoss: "Loss (squared error)",
};

export const MEASURE_DIGITS: Record<RecoveryMeasure, number> = {
  errorPct: 1,
  meanRtMs: 0,
  meanLoss: 3,
};

export function RecoveryChart({
  title,
  rows,
  series,
  measure,
  yDomain,
  testId,
  height = 220,
  emptyText,
  bandNote,
}: {
  title: string;
  rows: ChartRows;
  series: ChartSeries[];
  measure: RecoveryMeasure;
  /** Shared with the panels beside this one. */
  yDomain?: Domain | null;
  testId?: string;
  height?: number;
  emptyText?: ReactNode;
  bandNote?: string;
}) {
  const colors = levelColors(series.length);
  return (
    <LinePanel
      title={title}
      rows={rows}
      xKey="position"
      xLabel="Trial after the switch (j)"
      yLabel={MEASURE_LABEL[measure]}
      series={series.map((s, i) => ({ ...s, color: colors[i] }))}
      yDomain={yDomain}
      yFromZero={measure !== "meanRtMs"}
      digits={MEASURE_DIGITS[measure]}
      testId={testId}
      height={height}
      emptyText={emptyText}
      legendTitle={`Practice level (${LEVEL_ORDER_NOTE})`}
      bandNote={bandNote}
    />
  );
}
