"use client";
// The one line chart of the app (recharts), fed plain rows shaped in lib/core: round ticks on both
// axes (scale.ts), axis labels with units, one line per series in the palette's colours, optional
// uncertainty bands (a [low, high] column pair per series), n per point in the tooltip, optional
// shaded block spans, and the legend outside the plot (below it, in series order, showing each
// line's colour AND dash), so it can never cover data or ticks. Inside <ChartsOneAtATime>
// (mount-queue.tsx) the plot mounts in its own frame. No statistics here.
import { type ReactNode, useEffect, useRef, useState } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { useChartTurns } from "./mount-queue";
import { DASHES, levelColors } from "./palette";
import { type ChartRow, type Domain, extentOf, niceTicks, tickLabel } from "./scale";

export type PanelSeries = {
  key: string;
  label: string;
  color?: string;
  /** Dash pattern (palette DASHES); `dashed` is DASHES[1]. */
  dash?: string;
  dashed?: boolean;
  dots?: boolean;
  /** Columns holding the lower and upper end of this series' uncertainty band. */
  band?: [string, string];
  /** Column holding n behind each point (shown in the tooltip). */
  nKey?: string;
};
export type ShadedSpan = { from: number; to: number; label?: string; shade: boolean };

export type LinePanelProps = {
  title?: string;
  rows: ChartRow[];
  xKey: string;
  /** Axis label with its unit, e.g. "Trial after switch (j)". */
  xLabel: string;
  yLabel: string;
  series: PanelSeries[];
  /** A fixed y-domain (e.g. shared with the panels beside this one); else from the data. */
  yDomain?: Domain | null;
  /** Start the data-derived y-domain at 0. */
  yFromZero?: boolean;
  reversed?: boolean;
  spans?: ShadedSpan[];
  height?: number;
  syncId?: string;
  integerX?: boolean;
  testId?: string;
  emptyText?: ReactNode;
  /** Decimals in the tooltip. */
  digits?: number;
  /** Shown above the legend entries, e.g. the practice-level order. */
  legendTitle?: string;
  /** What the bands are, under the legend (e.g. "95% bootstrap CI over participants"). */
  bandNote?: string;
};

const dashOf = (s: PanelSeries) => s.dash ?? (s.dashed ? DASHES[1] : DASHES[0]);

function Swatch({ s, color }: { s: PanelSeries; color: string }) {
  return (
    <svg width="28" height="12" aria-hidden="true" style={{ flex: "none" }}>
      {s.band ? <rect x="0" y="1" width="28" height="10" fill={color} opacity={0.18} /> : null}
      <line
        x1="1"
        x2="27"
        y1="6"
        y2="6"
        stroke={color}
        strokeWidth="2.5"
        strokeDasharray={dashOf(s) || undefined}
      />
      {s.dots !== false ? <circle cx="14" cy="6" r="2.5" fill={color} /> : null}
    </svg>
  );
}

export function LinePanel({
  title,
  rows,
  xKey,
  xLabel,
  yLabel,
  series,
  yDomain,
  yFromZero = false,
  reversed = false,
  spans = [],
  height = 240,
  syncId,
  integerX = true,
  testId,
  emptyText = "No data yet.",
  digits = 2,
  legendTitle,
  bandNote,
}: LinePanelProps) {
  const plot = useRef<HTMLDivElement>(null);
  // Inside <ChartsOneAtATime> (mount-queue.tsx) the plot takes two turns: axes and grid, then
  // the bands, lines and tooltip; elsewhere both at once.
  const { granted, width } = useChartTurns(plot, 2);
  const fallback = levelColors(series.length);
  const colorOf = (s: PanelSeries, i: number) => s.color ?? fallback[i];
  const points = series.map((s) => rows.filter((r) => typeof r[s.key] === "number").length);
  const hasData = points.some((n) => n > 0);
  const xExtent = extentOf(rows, [xKey]) ?? [0, 1];
  const x = niceTicks(
    xExtent[0],
    xExtent[1],
    integerX ? Math.min(10, Math.max(1, xExtent[1] - xExtent[0])) : 6,
    integerX,
  );
  const yKeys = series.flatMap((s) => [s.key, ...(s.band ?? [])]);
  const dataY = extentOf(rows, yKeys) ?? [0, 1];
  const y = yDomain
    ? niceTicks(yDomain[0], yDomain[1], 4)
    : niceTicks(yFromZero ? Math.min(0, dataY[0]) : dataY[0], dataY[1], 4);
  const fmt = (v: unknown) => (typeof v === "number" ? v.toFixed(digits) : "–");
  return (
    <figure
      className="chart-panel"
      data-testid={testId}
      data-points={series.map((s, i) => `${s.key}:${points[i]}`).join(",")}
      style={{ margin: 0 }}
    >
      {title ? <figcaption className="chart-title">{title}</figcaption> : null}
      {!hasData ? (
        <div className="muted chart-empty" style={{ height }}>
          {emptyText}
        </div>
      ) : (
        <>
          <div className="chart-plot" style={{ height }} ref={plot}>
            {granted === 0 ? null : (
              <ResponsiveContainer
                width="100%"
                height={height}
                initialDimension={{ width: width ?? 400, height }}
              >
                <ComposedChart
                  data={rows}
                  syncId={syncId}
                  margin={{ top: 10, right: 14, bottom: 30, left: 8 }}
                >
                  <CartesianGrid strokeDasharray="3 3" stroke="#e5e5e5" />
                  {spans
                    .filter((s) => s.shade)
                    .map((s) => (
                      <ReferenceArea
                        key={`${s.from}-${s.to}`}
                        x1={s.from - 0.5}
                        x2={s.to + 0.5}
                        fill="#8a8a8a"
                        fillOpacity={0.12}
                        ifOverflow="extendDomain"
                      />
                    ))}
                  {/* interval 0: every round tick is drawn (niceTicks keeps them few), and
                      recharts does not measure each label to thin them out */}
                  <XAxis
                    dataKey={xKey}
                    type="number"
                    domain={x.domain}
                    ticks={x.ticks}
                    tickFormatter={tickLabel(x.decimals)}
                    interval={0}
                    allowDataOverflow
                    label={{ value: xLabel, position: "insideBottom", offset: -18 }}
                  />
                  <YAxis
                    reversed={reversed}
                    domain={y.domain}
                    ticks={y.ticks}
                    tickFormatter={tickLabel(y.decimals)}
                    interval={0}
                    allowDataOverflow
                    width={62}
                    label={{
                      value: yLabel,
                      angle: -90,
                      position: "insideLeft",
                      offset: 4,
                      style: { textAnchor: "middle" },
                    }}
                  />
                  {granted < 2 ? null : (
                    <Tooltip
                      labelFormatter={(v) => `${xLabel}: ${fmt(v)}`}
                      formatter={(value, name, item) => {
                        const s = series.find((q) => q.label === name);
                        const row = (item as { payload?: ChartRow }).payload ?? {};
                        const n = s?.nKey ? row[s.nKey] : undefined;
                        const band =
                          s?.band && typeof row[s.band[0]] === "number"
                            ? ` [${fmt(row[s.band[0]])}, ${fmt(row[s.band[1]])}]`
                            : "";
                        return [
                          Array.isArray(value)
                            ? null
                            : `${fmt(value)}${band}${typeof n === "number" ? ` (n = ${n})` : ""}`,
                          name,
                        ];
                      }}
                    />
                  )}
                  {granted < 2
                    ? null
                    : series.map((s, i) =>
                        s.band ? (
                          <Area
                            key={`${s.key}-band`}
                            dataKey={(r: ChartRow) =>
                              typeof r[s.band![0]] === "number"
                                ? [r[s.band![0]], r[s.band![1]]]
                                : null
                            }
                            name={`${s.label} band`}
                            legendType="none"
                            tooltipType="none"
                            stroke="none"
                            fill={colorOf(s, i)}
                            fillOpacity={0.16}
                            isAnimationActive={false}
                            connectNulls
                          />
                        ) : null,
                      )}
                  {granted < 2
                    ? null
                    : series.map((s, i) => (
                        <Line
                          key={s.key}
                          dataKey={s.key}
                          name={s.label}
                          type="linear"
                          isAnimationActive={false}
                          connectNulls
                          stroke={colorOf(s, i)}
                          strokeDasharray={dashOf(s) || undefined}
                          dot={
                            (s.dots ?? rows.length <= 40) ? { r: 3, fill: colorOf(s, i) } : false
                          }
                          strokeWidth={2}
                        />
                      ))}
                </ComposedChart>
              </ResponsiveContainer>
            )}
          </div>
          <div className="chart-legend" data-testid={testId ? `${testId}-legend` : undefined}>
            {legendTitle ? <span className="chart-legend-title">{legendTitle}</span> : null}
            <ul>
              {series.map((s, i) => (
                <li key={s.key}>
                  <Swatch s={s} color={colorOf(s, i)} />
                  {s.label}
                </li>
              ))}
            </ul>
            {bandNote && series.some((s) => s.band) ? (
              <span className="chart-legend-note">Shaded: {bandNote}</span>
            ) : null}
          </div>
        </>
      )}
    </figure>
  );
}

/**
 * Draws one small hidden chart (every part a LinePanel uses) once the browser is idle after the
 * page has loaded, then removes it. The first recharts chart on a page costs about half as much
 * again as the next ones (code compiled and caches filled on first use); paying that while nobody
 * is looking keeps the first real chart's frame as short as the others'.
 */
export function PrewarmCharts() {
  const [phase, setPhase] = useState<"wait" | "draw" | "done">("wait");
  useEffect(() => {
    if (phase === "wait") {
      const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 300));
      const cancel = window.cancelIdleCallback ?? window.clearTimeout;
      const id = idle(() => setPhase("draw"), { timeout: 2000 });
      return () => cancel(id);
    }
    if (phase === "draw") {
      const id = requestAnimationFrame(() => setPhase("done"));
      return () => cancelAnimationFrame(id);
    }
  }, [phase]);
  if (phase !== "draw") return null;
  return (
    <div aria-hidden="true" style={{ position: "absolute", left: -10_000, top: 0, width: 300 }}>
      <LinePanel
        rows={[
          { x: 1, a: 0.2, aLo: 0.1, aHi: 0.3 },
          { x: 2, a: 0.5, aLo: 0.4, aHi: 0.6 },
        ]}
        xKey="x"
        xLabel="x"
        yLabel="y"
        series={[{ key: "a", label: "a", band: ["aLo", "aHi"] }]}
        spans={[{ from: 1, to: 2, shade: true }]}
        height={120}
      />
    </div>
  );
}
