"use client";
// Client host for one participant run: mounts the jsPsych timeline from lib/experiment, saves every
// trial through the save queue, keeps the run alive with heartbeats, and shows the end screen (or
// redirects) only after the last trial is saved and the server has confirmed completion.
// jspsych touches `window` at import, so it and the timeline module are imported dynamically inside
// useEffect (docs/ARCHITECTURE.md §6.3); only the CSS and the pure save queue are imported statically.
import "jspsych/css/jspsych.css";

import { useEffect, useRef, useState, type CSSProperties } from "react";

import type { Curriculum } from "@/lib/core/curriculum-schema";
import type { StudyConfig } from "@/lib/core/study-config";
import { createSaveQueue, type SaveQueue, type SaveQueueStatus } from "@/lib/experiment/save-queue";

import { startParticipantModel, type ParticipantModel } from "./participant-model";

export type ExperimentHostProps = {
  token: string;
  config: StudyConfig;
  curriculum: Curriculum;
  /** Where to start: first unsaved main trial, practice done, practice trials already saved. */
  resume: { mainTrialsDone: number; practiceDone: boolean; practiceTrialsSaved?: number };
  /** Dev/e2e only: run jsPsych.simulate in visual mode instead of waiting for key presses. */
  simulate?: boolean;
  /** Navigation seam for tests; default window.location.assign. */
  navigate?: (url: string) => void;
};

type Phase =
  | { kind: "loading" }
  | { kind: "running" }
  | { kind: "saving" }
  | { kind: "done"; completionCode: string }
  | { kind: "redirecting" }
  | { kind: "ended-early" }
  | { kind: "error"; message: string };

const HEARTBEAT_MS = 15_000;

const styles = {
  root: { minHeight: "100vh", position: "relative", background: "#fff", color: "#111827" },
  stage: { minHeight: "100vh" },
  centre: {
    minHeight: "100vh",
    display: "flex",
    flexDirection: "column",
    alignItems: "center",
    justifyContent: "center",
    gap: "1rem",
    padding: "2rem",
    textAlign: "center",
    fontFamily: "system-ui, sans-serif",
    fontSize: "1.15rem",
  },
  code: {
    fontFamily: "ui-monospace, monospace",
    fontSize: "2rem",
    letterSpacing: "0.08em",
    padding: "0.5rem 1.25rem",
    border: "2px dashed #9ca3af",
    borderRadius: "0.5rem",
    userSelect: "all",
  },
  button: {
    font: "inherit",
    padding: "0.5rem 1.25rem",
    borderRadius: "0.4rem",
    border: "1px solid #2563eb",
    background: "#2563eb",
    color: "#fff",
    cursor: "pointer",
  },
  badge: {
    position: "fixed",
    right: "1rem",
    bottom: "1rem",
    padding: "0.4rem 0.8rem",
    borderRadius: "0.4rem",
    fontFamily: "system-ui, sans-serif",
    fontSize: "0.85rem",
    zIndex: 1000,
  },
} satisfies Record<string, CSSProperties>;

async function postJson(url: string, body: unknown = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

export function ExperimentHost({
  token,
  config,
  curriculum,
  resume,
  simulate = false,
  navigate,
}: ExperimentHostProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const queueRef = useRef<SaveQueue | null>(null);
  const modelRef = useRef<ParticipantModel | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [save, setSave] = useState<SaveQueueStatus | null>(null);

  const base = `/api/runs/${encodeURIComponent(token)}`;

  async function complete() {
    const queue = queueRef.current;
    if (!queue) return;
    setPhase({ kind: "saving" });
    queue.retryNow();
    await queue.whenDrained();
    // The model stream (study option) is given a few seconds; the server recomputes it anyway.
    if (modelRef.current)
      await Promise.race([modelRef.current.whenDone(), new Promise((r) => setTimeout(r, 5000))]);
    try {
      const res = await postJson(`${base}/complete`);
      const body = (await res.json().catch(() => ({}))) as {
        completionCode?: string;
        redirectUrl?: string;
        error?: string;
      };
      if (!res.ok) throw new Error(body.error ?? `The server answered ${res.status}`);
      if (body.redirectUrl) {
        setPhase({ kind: "redirecting" });
        (navigate ?? ((url: string) => window.location.assign(url)))(body.redirectUrl);
      } else {
        setPhase({ kind: "done", completionCode: body.completionCode ?? "" });
      }
    } catch (e) {
      setPhase({ kind: "error", message: e instanceof Error ? e.message : String(e) });
    }
  }

  useEffect(() => {
    let cancelled = false;
    const queue = createSaveQueue({ token, onStatus: (s) => !cancelled && setSave(s) });
    queueRef.current = queue;
    setSave(queue.status());

    const beat = () => void postJson(`${base}/heartbeat`).catch(() => undefined);
    beat();
    const heartbeat = setInterval(beat, HEARTBEAT_MS);
    const onPageHide = () => queue.flushWithBeacon();
    const onVisibility = () => {
      if (document.visibilityState === "hidden") queue.flushWithBeacon();
    };
    const onOnline = () => queue.retryNow();
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (queue.pending() > 0) {
        queue.flushWithBeacon();
        e.preventDefault();
      }
    };
    window.addEventListener("pagehide", onPageHide);
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("online", onOnline);
    window.addEventListener("beforeunload", onBeforeUnload);

    (async () => {
      const [{ initJsPsych }, { buildTimeline }] = await Promise.all([
        import("jspsych"),
        import("@/lib/experiment/timeline"),
      ]);
      if (cancelled || !stageRef.current) return;
      const outcome = { endedEarly: false };
      const jsPsych = initJsPsych({ display_element: stageRef.current });
      jsPsych.randomization.setSeed(String(curriculum.seed));
      const timeline = buildTimeline({
        jsPsych,
        config,
        curriculum,
        resume,
        onTrialRecord: (record) => queue.enqueue(record),
        onEarlyEnd: () => {
          outcome.endedEarly = true;
          // Declined consent, failed practice or unsuitable browser: the participant is done.
          void postJson(`${base}/return`).catch(() => undefined);
        },
      });
      setPhase({ kind: "running" });
      if (config.model.runInParticipantBrowser && config.model.presets.length > 0) {
        modelRef.current = startParticipantModel(token, curriculum, config.model.presets);
      }
      if (simulate) await jsPsych.simulate(timeline, "visual");
      else await jsPsych.run(timeline);
      if (cancelled) return;
      if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
      if (outcome.endedEarly) {
        clearInterval(heartbeat); // declined or excluded: the run is no longer active
        setPhase({ kind: "ended-early" });
        return;
      }
      await complete();
    })().catch((e: unknown) => {
      if (!cancelled)
        setPhase({ kind: "error", message: e instanceof Error ? e.message : String(e) });
    });

    return () => {
      cancelled = true;
      modelRef.current?.stop();
      clearInterval(heartbeat);
      window.removeEventListener("pagehide", onPageHide);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("online", onOnline);
      window.removeEventListener("beforeunload", onBeforeUnload);
      queue.flushWithBeacon();
      queue.dispose();
    };
    // The run is mounted once per token; later prop identity changes must not restart it.
  }, [token]);

  const showStage =
    phase.kind === "loading" || phase.kind === "running" || phase.kind === "ended-early";
  return (
    <div style={styles.root} data-testid="experiment-host" data-phase={phase.kind}>
      <div ref={stageRef} style={{ ...styles.stage, display: showStage ? undefined : "none" }} />
      {phase.kind === "loading" && (
        <div style={{ ...styles.centre, position: "absolute", inset: 0 }} role="status">
          Loading the study…
        </div>
      )}
      {phase.kind === "saving" && (
        <div style={styles.centre} role="status">
          <h2>Saving your answers…</h2>
          <p>
            Please keep this page open.
            {save && save.pending > 0 ? ` ${save.pending} answers still to send.` : ""}
          </p>
          {save && !save.online && (
            <p style={{ color: "#b45309" }}>No connection right now; we keep trying.</p>
          )}
        </div>
      )}
      {phase.kind === "redirecting" && (
        <div style={styles.centre} role="status">
          <h2>All saved. Thank you!</h2>
          <p>Taking you back…</p>
        </div>
      )}
      {phase.kind === "done" && (
        <div style={styles.centre}>
          <h2>Thank you, you are done!</h2>
          <p>All your answers are saved.</p>
          {phase.completionCode && (
            <>
              <p>Your completion code:</p>
              <div style={styles.code} data-testid="completion-code">
                {phase.completionCode}
              </div>
            </>
          )}
          <p>You can close this window now.</p>
        </div>
      )}
      {phase.kind === "error" && (
        <div style={styles.centre} role="alert">
          <h2>Something went wrong</h2>
          <p>{phase.message}</p>
          <p>
            Your answers are kept in this browser. Please try again; if it keeps failing, contact
            the researcher.
          </p>
          <button type="button" style={styles.button} onClick={() => void complete()}>
            Try again
          </button>
        </div>
      )}
      {save &&
        (phase.kind === "running" || phase.kind === "loading") &&
        (!save.online || save.pending >= 3) && (
          <div
            role="status"
            data-testid="save-indicator"
            style={{
              ...styles.badge,
              background: save.online ? "#f3f4f6" : "#fef3c7",
              color: save.online ? "#4b5563" : "#92400e",
              border: `1px solid ${save.online ? "#d1d5db" : "#f59e0b"}`,
            }}
          >
            {save.online
              ? `Saving… (${save.pending} waiting)`
              : `Offline: ${save.pending} answers kept on this device, will be sent when the connection returns`}
          </div>
        )}
    </div>
  );
}

export default ExperimentHost;
