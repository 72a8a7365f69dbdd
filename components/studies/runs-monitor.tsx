"use client";
// Live runs table of a study: filter (status, pilot, external id), sort and paging happen on the
// server (GET /api/studies/<id>/runs?…); this component keeps the query in the page's URL, asks
// again whenever it changes and every few seconds while the tab is visible, and only renders.
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";

import { errorMessageOf } from "@/lib/core/api-responses";
import {
  MONITOR_SORTS,
  type MonitorQuery,
  type MonitorSort,
  RUN_STATUSES,
  type RunMonitorData,
  type RunMonitorRow,
  type RunStatus,
  monitorQueryString,
  pageCount,
  runMonitorDataSchema,
} from "@/lib/core/run-monitor";

const POLL_MS = 3000;
const SEARCH_DEBOUNCE_MS = 300;
const PAGE_SIZES = [25, 50, 100, 200];

function relative(fromIso: string, nowMs: number) {
  const s = Math.max(0, Math.round((nowMs - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

function durationText(ms: number) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

const when = (iso: string) => iso.slice(0, 16).replace("T", " ");

const STATUS_HELP: Record<RunStatus, string> = {
  started: "opened the link, no trial saved yet",
  active: "saving trials now",
  completed: "all trials saved",
  abandoned: "silent for over 30 minutes",
  returned: "withdrew / returned on the recruiter",
};

const SORT_LABEL: Record<MonitorSort, string> = {
  index: "participant #",
  start: "start time",
  finish: "finish time",
  duration: "duration",
  status: "status",
  accuracy: "accuracy",
};

export function RunsMonitor({ studyId, initial }: { studyId: string; initial: RunMonitorData }) {
  const [data, setData] = useState(initial);
  const [query, setQuery] = useState<MonitorQuery>(initial.query);
  const [search, setSearch] = useState(initial.query.q ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const latest = useRef(0);
  // Relative times are computed against the server's clock of the last answer, so a skewed
  // browser clock cannot show "-3 min ago".
  const nowMs = Date.parse(data.generatedAt);

  const load = useCallback(
    async (q: MonitorQuery) => {
      const seq = ++latest.current;
      try {
        const res = await fetch(`/api/studies/${studyId}/runs?${monitorQueryString(q)}`, {
          cache: "no-store",
        });
        if (seq !== latest.current) return; // a newer query answered (or will) instead
        if (res.status === 401)
          return setProblem("Your session has expired: sign in again to keep monitoring.");
        if (!res.ok)
          return setProblem(
            errorMessageOf(
              await res.json().catch(() => null),
              `Could not refresh (HTTP ${res.status}); retrying.`,
            ),
          );
        const next = runMonitorDataSchema.safeParse(await res.json());
        if (seq !== latest.current) return;
        // a malformed answer keeps the last good table and says so
        if (!next.success)
          return setProblem(
            `The server's answer is malformed (${next.error.issues[0].path.join(".") || "body"}: ${next.error.issues[0].message}); retrying.`,
          );
        setData(next.data);
        setProblem(null);
      } catch {
        setProblem("Could not reach the server; retrying.");
      }
    },
    [studyId],
  );

  // A new query: ask now, show it in the address bar, then keep polling with it.
  useEffect(() => {
    const qs = monitorQueryString(query);
    const url = new URL(window.location.href);
    for (const key of ["status", "pilot", "q", "sort", "dir", "page", "pageSize"])
      url.searchParams.delete(key);
    for (const [k, v] of new URLSearchParams(qs)) url.searchParams.set(k, v);
    window.history.replaceState(null, "", url);
    const first = setTimeout(() => void load(query), 0);
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void load(query);
    }, POLL_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [load, query]);

  // The search box asks once typing pauses.
  useEffect(() => {
    const q = search.trim() || undefined;
    if (q === query.q) return;
    const timer = setTimeout(
      () => setQuery((prev) => ({ ...prev, q, page: 1 })),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [search, query.q]);

  const change = (patch: Partial<MonitorQuery>) =>
    setQuery((prev) => ({ ...prev, page: 1, ...patch }));
  const sortBy = (sort: MonitorSort) =>
    setQuery((prev) => ({
      ...prev,
      page: 1,
      sort,
      dir: prev.sort === sort && prev.dir === "asc" ? "desc" : "asc",
    }));
  const pages = pageCount(data.matching, data.query.pageSize);
  const firstShown = data.matching === 0 ? 0 : (data.query.page - 1) * data.query.pageSize + 1;
  const lastShown = Math.min(data.matching, data.query.page * data.query.pageSize);

  return (
    <section data-testid="runs-monitor">
      <div className="r-counts">
        <div className="r-count">
          <strong data-testid="count-total">{data.totals.runs}</strong>runs (
          <span data-testid="count-participants">{data.totals.participants}</span> participants)
        </div>
        {RUN_STATUSES.map((s) => (
          <div key={s} className="r-count" title={STATUS_HELP[s]}>
            <strong data-testid={`count-${s}`}>{data.statusCounts[s] ?? 0}</strong>
            {s}
          </div>
        ))}
      </div>

      <form className="r-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status{" "}
          <select
            value={query.status ?? ""}
            data-testid="filter-status"
            onChange={(e) => change({ status: (e.target.value || undefined) as RunStatus })}
          >
            <option value="">any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Runs{" "}
          <select
            value={query.pilot}
            data-testid="filter-pilot"
            onChange={(e) => change({ pilot: e.target.value as MonitorQuery["pilot"] })}
          >
            <option value="all">participants and pilots</option>
            <option value="exclude">participants only</option>
            <option value="only">pilots only</option>
          </select>
        </label>
        <label>
          External id or #{" "}
          <input
            className="r-input"
            type="search"
            value={search}
            maxLength={100}
            placeholder="e.g. 5f3a…"
            data-testid="filter-search"
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label>
          Sort by{" "}
          <select
            value={query.sort}
            data-testid="sort-select"
            onChange={(e) => change({ sort: e.target.value as MonitorSort })}
          >
            {MONITOR_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <select
            value={query.dir}
            aria-label="Sort direction"
            data-testid="sort-dir"
            onChange={(e) => change({ dir: e.target.value as MonitorQuery["dir"] })}
          >
            <option value="asc">ascending</option>
            <option value="desc">descending</option>
          </select>
        </label>
      </form>

      <p className="muted" aria-live="polite">
        Live: refreshes every {POLL_MS / 1000} s · last update{" "}
        {new Date(data.generatedAt).toLocaleTimeString()}
        {problem ? (
          <span className="error" data-testid="monitor-problem">
            {" "}
            · {problem}
          </span>
        ) : null}
      </p>
      {data.totals.runs === 0 ? (
        <p className="muted">
          No runs yet. Open the study and share the participant link, or try the pilot link
          yourself.
        </p>
      ) : data.matching === 0 ? (
        <p className="muted" data-testid="no-match">
          No run matches these filters.
        </p>
      ) : (
        <div className="r-table-wrap">
          <table className="data r-monitor" data-testid="runs-table">
            <thead>
              <tr>
                <SortHeader q={data.query} onSort={sortBy} sort="index" label="#" num />
                <th>Participant (ids as stored)</th>
                <SortHeader q={data.query} onSort={sortBy} sort="status" label="Status" />
                <th>Progress (main trials)</th>
                <SortHeader q={data.query} onSort={sortBy} sort="accuracy" label="Accuracy" num />
                <th>Data quality</th>
                <th>Model / fits</th>
                <SortHeader q={data.query} onSort={sortBy} sort="start" label="Started" />
                <SortHeader q={data.query} onSort={sortBy} sort="finish" label="Finished" />
                <SortHeader q={data.query} onSort={sortBy} sort="duration" label="Duration" />
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {data.runs.map((r) => (
                <MonitorRow key={r.id} run={r} studyId={studyId} nowMs={nowMs} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.matching > 0 ? (
        <nav className="r-pager" aria-label="Pages of runs" data-testid="pager">
          <button
            type="button"
            className="button secondary"
            disabled={data.query.page <= 1}
            onClick={() => setQuery((prev) => ({ ...prev, page: prev.page - 1 }))}
            data-testid="page-prev"
          >
            ← Previous
          </button>
          <span data-testid="page-status">
            {firstShown}–{lastShown} of {data.matching} · page {data.query.page} of {pages}
          </span>
          <button
            type="button"
            className="button secondary"
            disabled={data.query.page >= pages}
            onClick={() => setQuery((prev) => ({ ...prev, page: prev.page + 1 }))}
            data-testid="page-next"
          >
            Next →
          </button>
          <label>
            Per page{" "}
            <select
              value={query.pageSize}
              data-testid="page-size"
              onChange={(e) => change({ pageSize: Number(e.target.value) })}
            >
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </nav>
      ) : null}
    </section>
  );
}

function MonitorRow({
  run: r,
  studyId,
  nowMs,
}: {
  run: RunMonitorRow;
  studyId: string;
  nowMs: number;
}) {
  return (
    <tr data-testid="run-row" data-run-id={r.id}>
      <td className="r-num">
        <Link href={`/studies/${studyId}/runs/${r.id}`} data-testid="run-link">
          {r.participantIndex}
        </Link>
      </td>
      <td data-testid="run-ids">
        <Link href={`/studies/${studyId}/runs/${r.id}`}>
          {r.externalId ?? <span className="muted">no external id</span>}
        </Link>
        <div className="r-sub">
          {r.source}
          {r.externalStudyId ? ` · study ${r.externalStudyId}` : ""}
          {r.externalSessionId ? ` · session ${r.externalSessionId}` : ""}
        </div>
      </td>
      <td data-testid="run-status">
        <span className={`r-badge r-${r.status}`} title={STATUS_HELP[r.status]}>
          {r.status}
        </span>{" "}
        {r.isPilot ? <span className="r-badge r-pilot">pilot</span> : null}
        {r.condition !== null ? (
          <span className="r-badge" data-testid="run-condition" title="Condition">
            {r.condition}
          </span>
        ) : null}
        {r.timingFlags.length > 0 ? (
          <span
            className="r-badge r-flag"
            data-testid="timing-flag"
            title={r.timingFlags.join("\n")}
          >
            implausible timing
          </span>
        ) : null}
        {r.transfers > 0 ? (
          <span
            className="r-badge r-flag"
            title="Resumed with its external id in another browser; the old link stopped working"
          >
            moved ×{r.transfers}
          </span>
        ) : null}
        {r.reason ? (
          <div className="r-sub" data-testid="run-reason">
            {r.reason}
          </div>
        ) : null}
      </td>
      <td className="r-nowrap">
        <span className="r-progress" aria-hidden>
          <span
            style={{
              width: `${r.expectedTrials ? Math.min(100, (100 * r.savedTrials) / r.expectedTrials) : 0}%`,
            }}
          />
        </span>
        {r.savedTrials} / {r.expectedTrials}
      </td>
      <td className="r-num" data-testid="run-accuracy">
        {r.accuracy === null ? "–" : `${Math.round(r.accuracy * 100)} %`}
      </td>
      <td data-testid="run-quality">
        {r.quality.flagged ? (
          <>
            <span className="r-badge r-flagged" title={r.quality.reasons.join("\n")}>
              flagged
            </span>{" "}
            {r.quality.summary}
            <ul className="r-reasons">
              {r.quality.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </>
        ) : (
          <span className="muted">no flags</span>
        )}
      </td>
      <td data-testid="run-jobs">
        {r.streams.length === 0 && r.fitted.length === 0 ? <span className="muted">–</span> : null}
        {r.streams.map((s) => (
          <div key={s.preset} className="r-sub">
            {s.preset}: <span className={`r-job r-job-${s.status}`}>{s.status}</span>
          </div>
        ))}
        {r.fitted.length > 0 ? <div className="r-sub">fitted: {r.fitted.join(", ")}</div> : null}
      </td>
      <td className="r-nowrap" title={r.startedAt}>
        {when(r.startedAt)}
      </td>
      <td className="r-nowrap" title={r.finishedAt ?? undefined} data-testid="run-finished">
        {r.finishedAt ? when(r.finishedAt) : <span className="muted">–</span>}
      </td>
      <td className="r-nowrap" data-testid="run-duration">
        {durationText(r.durationMs)}
        {r.finishedAt ? null : <span className="muted"> so far</span>}
      </td>
      <td className="r-nowrap" title={r.lastSeenAt}>
        {relative(r.lastSeenAt, nowMs)}
      </td>
    </tr>
  );
}

function SortHeader({
  sort,
  label,
  num,
  q,
  onSort,
}: {
  sort: MonitorSort;
  label: string;
  num?: boolean;
  q: MonitorQuery;
  onSort: (sort: MonitorSort) => void;
}) {
  const active = q.sort === sort;
  return (
    <th
      className={num ? "r-num" : undefined}
      aria-sort={active ? (q.dir === "asc" ? "ascending" : "descending") : undefined}
    >
      <button
        type="button"
        className="r-sort"
        onClick={() => onSort(sort)}
        data-testid={`sort-${sort}`}
      >
        {label}
        {active ? (q.dir === "asc" ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );
}
