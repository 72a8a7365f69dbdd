// The dashboard by condition (docs/researcher-guide.md "Dashboard by condition"): which conditions
// a study's dashboard offers, and the condition-vs-condition view — post-switch performance over
// switches with one line per condition for participants and each model, and per condition the
// switch − repeat costs with their intervals and the group practice effect with its CI.
import type { GroupPracticeEffect } from "./group-stats";
import {
  type CostRow,
  type Fig8Stream,
  type RecoveryMeasure,
  toCostRows,
  toTrendChartData,
} from "./recovery";
import type { StyledSeries } from "./predictions";

/**
 * The conditions a dashboard offers: the study's configured ones in their order, then any other
 * name its runs carry (a condition removed by an edit keeps its data). Empty: no conditions.
 */
export function dashboardConditions(
  configured: readonly string[],
  fromRuns: readonly (string | null)[],
): string[] {
  const seen = new Set(configured);
  const extra = [...new Set(fromRuns.filter((c): c is string => c !== null && !seen.has(c)))];
  return [...configured, ...extra.sort()];
}

/** The `condition` search parameter: one of the offered names, else every condition (undefined). */
export function parseConditionParam(
  value: string | undefined,
  offered: readonly string[],
): string | undefined {
  return value !== undefined && offered.includes(value) ? value : undefined;
}

/** One condition's dashboard, as the comparison takes it. */
export type ConditionDashboard = {
  condition: string;
  /** fig8Streams of that condition's dashboard (participants, flexible, forgetful). */
  streams: Fig8Stream[];
  practice: { human: GroupPracticeEffect; models: Record<string, GroupPracticeEffect> };
};

export type ConditionCompareRow = {
  condition: string;
  stream: string;
  label: string;
  units: number;
  cost: CostRow;
  practice: GroupPracticeEffect | null;
};

/**
 * Condition vs condition: per stream (participants, flexible, forgetful) the post-switch error over
 * switches with one line per condition (colour by condition, in order), plus RT (participants) and
 * loss (models); and per condition and stream the all-trials cost row and the group practice effect.
 */
export function toConditionComparison(list: readonly ConditionDashboard[]) {
  const streamKeys =
    list[0]?.streams.map((s) => ({ key: s.key, label: s.label, isHuman: s.isHuman })) ?? [];
  const chart = (key: string, measure: RecoveryMeasure) => {
    const series = list.map((c) => {
      const s = c.streams.find((x) => x.key === key)!;
      return {
        key: `c${list.indexOf(c)}`,
        label: c.condition,
        perSwitch: s.analysis.trend.perSwitch,
        intervals: s.intervals,
      };
    });
    const d = toTrendChartData(series, measure);
    return {
      rows: d.rows,
      series: d.series.map((s): StyledSeries => ({ ...s, stream: s.key, dashIndex: 0 })),
    };
  };
  return {
    charts: streamKeys.map((s) => ({
      key: s.key,
      label: s.label,
      error: chart(s.key, "errorPct"),
      second: chart(s.key, s.isHuman ? "meanRtMs" : "meanLoss"),
      secondMeasure: (s.isHuman ? "meanRtMs" : "meanLoss") as RecoveryMeasure,
    })),
    rows: list.flatMap((c) =>
      c.streams.map((s): ConditionCompareRow => ({
        condition: c.condition,
        stream: s.key,
        label: s.label,
        units: s.streams,
        cost: toCostRows(s)[0],
        practice: s.isHuman ? c.practice.human : (c.practice.models[s.key] ?? null),
      })),
    ),
  };
}
export type ConditionComparison = ReturnType<typeof toConditionComparison>;
