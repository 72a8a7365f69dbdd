// The run lifecycle (docs/ARCHITECTURE.md §4) and the live-monitor view of a study's runs, shared
// by the server query (lib/server/monitor.ts) and the table that renders it.

export const RUN_STATUSES = ["started", "active", "completed", "abandoned", "returned"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export type RunMonitorRow = {
  id: string;
  participantIndex: number;
  externalId: string | null;
  source: string;
  status: RunStatus;
  isPilot: boolean;
  /** Saved main trials (practice excluded). */
  savedTrials: number;
  expectedTrials: number;
  /** Proportion correct over saved main trials; null before the first one. */
  accuracy: number | null;
  /** Data-quality flags over the saved main trials (lib/core/quality.ts; empty codes when none). */
  quality: { flagged: boolean; summary: string; codes: string[]; reasons: string[] };
  startedAt: string;
  lastSeenAt: string;
};

export type RunMonitorData = {
  statusCounts: Record<RunStatus, number>;
  runs: RunMonitorRow[];
  generatedAt: string;
};
