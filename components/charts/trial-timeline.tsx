"use client";
// One participant trial by trial: running accuracy and correct RT, and each model's loss and gates,
// stacked on one shared x axis (trial number) with every other block shaded. Rows and block spans
// come from lib/core toTrialChartData.
import type { TrialChartData } from "@/lib/core/recovery";

import { LinePanel, type ShadedSpan } from "./line-panel";
import { DASHES, STREAM_COLORS, colorFor } from "./palette";

export function TrialTimeline({ data, window }: { data: TrialChartData; window: number }) {
  const spans: ShadedSpan[] = data.blocks.map((b) => ({
    from: b.fromTrial,
    to: b.toTrial,
    shade: b.blockIndex % 2 === 1,
  }));
  const common = {
    rows: data.rows,
    xKey: "trial",
    xLabel: "Trial (every second block shaded; a switch at every shade edge)",
    spans,
    syncId: "trial",
    height: 200,
  };
  const blockText = data.blocks
    .map((b) => `block ${b.blockIndex + 1}: ${b.task} (trials ${b.fromTrial}–${b.toTrial})`)
    .join("; ");
  return (
    <div className="r-stack" data-testid="trial-timeline">
      <p className="muted" style={{ margin: 0 }}>
        {blockText}
      </p>
      <LinePanel
        {...common}
        title={`Participant accuracy (running mean of the last ${window} trials within the block)`}
        yLabel="Accuracy (%)"
        yDomain={[0, 100]}
        digits={0}
        series={[
          {
            key: "accuracyPct",
            label: "Participant accuracy",
            color: STREAM_COLORS.human,
            dots: false,
          },
        ]}
        testId="timeline-accuracy"
      />
      <LinePanel
        {...common}
        title="Participant response time (correct trials)"
        yLabel="RT (ms)"
        digits={0}
        series={[{ key: "rtMs", label: "Correct RT", color: STREAM_COLORS.human, dots: true }]}
        testId="timeline-rt"
      />
      <LinePanel
        {...common}
        title="Model loss per trial (before the update on that trial)"
        yLabel="Loss (squared error)"
        yFromZero
        digits={3}
        series={data.models.map((m) => ({
          key: `${m.preset}Loss`,
          label: `${m.preset} model`,
          color: colorFor(m.preset),
          dots: false,
        }))}
        emptyText="No model stream for this run yet: run it in this browser or on the server."
        testId="timeline-loss"
      />
      <LinePanel
        {...common}
        title="Model gates c_p (which path is in use)"
        yLabel="Gate value"
        digits={2}
        series={data.models.flatMap((m) =>
          Array.from({ length: m.gateCount }, (_, p) => ({
            key: `${m.preset}Gate${p}`,
            label: `${m.preset} gate ${p + 1}`,
            color: colorFor(m.preset),
            dash: DASHES[p % DASHES.length],
            dots: false,
          })),
        )}
        emptyText="No model stream for this run yet."
        testId="timeline-gates"
      />
    </div>
  );
}
