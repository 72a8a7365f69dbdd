"use client";
// Client host for one participant run: mounts the jsPsych timeline from lib/experiment, saves every
// trial through the save queue, keeps the run alive with heartbeats, and shows the outcome's end
// screen with its code (outcome-screen.tsx), or redirects, only after the last trial is saved and
// the server has answered /complete (or /return for an early end, e.g. declined consent). It also
// shows a slim progress bar over the main trials, records full-screen exits, tab switches and
// window resizes with the run (run-event-sender.ts), and offers a way back to full screen.
// jspsych touches `window` at import, so it and the timeline module are imported dynamically inside
// useEffect (docs/ARCHITECTURE.md §6.3); only the CSS and the pure save queue are imported statically.
import "jspsych/css/jspsych.css";

import { useEffect, useRef, useState, type CSSProperties } from "react";

import { errorMessageOf, runCompletionSchema, type RunCompletion } from "@/lib/core/api-responses";
import type { EarlyOutcome } from "@/lib/core/outcomes";
import type { Curriculum } from "@/lib/core/curriculum-schema";
import type { StudyConfig } from "@/lib/core/study-config";
import { createSaveQueue, type SaveQueue, type SaveQueueStatus } from "@/lib/experiment/save-queue";

import { OutcomeScreen, centreScreen } from "./outcome-screen";
import { startParticipantModel, type ParticipantModel } from "./participant-model";
import { createRunEventSender } from "./run-event-sender";

export type ExperimentHostProps = {
  token: string;
  config: StudyConfig;
  curriculum: Curriculum;
  /** Where to start: first unsaved main trial, practice done, practice trials already saved. */
  resume: { mainTrialsDone: number; practiceDone: boolean; practiceTrialsSaved?: number };
  /** A researcher's pilot run: never sent to the recruiter's redirect. */
  pilot?: boolean;
  /** Dev/e2e only: run jsPsych.simulate in visual mode instead of waiting for key presses. */
  simulate?: boolean;
  /** Navigation seam for tests; default window.location.assign. */
  navigate?: (url: string) => void;
};

type Phase =
  | { kind: "loading" }
  | { kind: "running" }
  | { kind: "saving" }
  | { kind: "done"; answer: RunCompletion }
  | { kind: "redirecting" }
  | { kind: "error"; message: string };

const HEARTBEAT_MS = 15_000;

const styles = {
  root: { minHeight: "100vh", position: "relative", background: "#fff", color: "#111827" },
  stage: { minHeight: "100vh" },
  centre: centreScreen,

  button: {
    font: "inherit",
    padding: "0.5rem 1.25rem",
    borderRadius: "0.4rem",
    border: "1px solid #2563eb",
    background: "#2563eb",
    color: "#fff",
    cursor: "pointer",
  },
  progress: {
    position: "fixed",
    top: 0,
    left: 0,
    right: 0,
    height: "4px",
    background: "#e5e7eb",
    zIndex: 1000,
  },
  prompt: {
    position: "fixed",
    top: "0.75rem",
    left: "50%",
    transform: "translateX(-50%)",
    display: "flex",
    gap: "0.75rem",
    alignItems: "center",
    padding: "0.5rem 0.9rem",
    borderRadius: "0.5rem",
    background: "#eff6ff",
    border: "1px solid #93c5fd",
    color: "#1e3a8a",
    fontFamily: "system-ui, sans-serif",
    fontSize: "0.95rem",
    zIndex: 1001,
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
  pilot = false,
  simulate = false,
  navigate,
}: ExperimentHostProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const queueRef = useRef<SaveQueue | null>(null);
  const modelRef = useRef<ParticipantModel | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [save, setSave] = useState<SaveQueueStatus | null>(null);
  const [mainDone, setMainDone] = useState(resume.mainTrialsDone);
  const [leftFullscreen, setLeftFullscreen] = useState(false);
  /** jsPsych listens for keys on its container: give focus back to it after our own buttons. */
  const refocusRef = useRef<() => void>(() => undefined);

  const base = `/api/runs/${encodeURIComponent(token)}`;

  /** How the run ended: completed, or an early outcome (declined consent, screened out, failed practice). */
  const endingRef = useRef<EarlyOutcome | "completed">("completed");

  /**
   * Save every trial, then ask the server for the outcome's code and redirect: POST /complete, or
   * POST /return with the early outcome (the server checks it against the saved trials, so a
   * failed practice's trials are sent first). Pilot runs never redirect.
   */
  async function finish() {
    const queue = queueRef.current;
    if (!queue) return;
    const ending = endingRef.current;
    setPhase({ kind: "saving" });
    queue.retryNow();
    await queue.whenDrained();
    // The model stream (study option) is given a few seconds; the server recomputes it anyway.
    if (modelRef.current && ending === "completed")
      await Promise.race([modelRef.current.whenDone(), new Promise((r) => setTimeout(r, 5000))]);
    try {
      const res =
        ending === "completed"
          ? await postJson(`${base}/complete`)
          : await postJson(`${base}/return`, { reason: ending });
      const raw: unknown = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(errorMessageOf(raw, `The server answered ${res.status}`));
      const answer = runCompletionSchema.parse(raw);
      if (answer.redirectUrl && !pilot) {
        setPhase({ kind: "redirecting" });
        (navigate ?? ((url: string) => window.location.assign(url)))(answer.redirectUrl);
      } else {
        setPhase({ kind: "done", answer });
      }
    } catch (e) {
      setPhase({ kind: "error", message: e instanceof Error ? e.message : String(e) });
    }
  }

  useEffect(() => {
    let cancelled = false;
    const queue = createSaveQueue({ token, onStatus: (s) => !cancelled && setSave(s) });
    queueRef.current = queue;
    // The queue (and the trials it restored from localStorage) exists only from this effect on.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSave(queue.status());
    const events = createRunEventSender(token);
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const startedAt = performance.now();
    const onResize = () => {
      clearTimeout(resizeTimer); // one event per resize gesture, with the final size
      resizeTimer = setTimeout(
        () =>
          events.record("resize", performance.now() - startedAt, {
            width: window.innerWidth,
            height: window.innerHeight,
          }),
        500,
      );
    };
    window.addEventListener("resize", onResize);

    const beat = () => void postJson(`${base}/heartbeat`).catch(() => undefined);
    beat();
    const heartbeat = setInterval(beat, HEARTBEAT_MS);
    const onPageHide = () => {
      queue.flushWithBeacon();
      events.flushWithBeacon();
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") onPageHide();
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
      const stage = stageRef.current;
      const jsPsych = initJsPsych({
        display_element: stage,
        // jsPsych's interaction data: blur/focus and full-screen exit/enter, stored with the run.
        on_interaction_data_update: (d: { event: string; time: number }) => {
          if (d.event === "fullscreenexit") setLeftFullscreen(true);
          if (d.event === "fullscreenenter") setLeftFullscreen(false);
          if (["blur", "focus", "fullscreenexit", "fullscreenenter"].includes(d.event))
            events.record(d.event as "blur", d.time);
        },
      });
      jsPsych.randomization.setSeed(String(curriculum.seed));
      refocusRef.current = () => jsPsych.getDisplayContainerElement().focus();
      const timeline = buildTimeline({
        jsPsych,
        config,
        curriculum,
        resume,
        onTrialRecord: (record) => {
          queue.enqueue(record);
          events.setLastTrial(record.phase, record.trialIndex);
          if (record.phase === "main") setMainDone((n) => Math.max(n, record.trialIndex + 1));
        },
        onEarlyEnd: (reason) => {
          // Declined consent, failed practice or unsuitable browser: the participant is done.
          endingRef.current = reason;
        },
      });
      setPhase({ kind: "running" });
      if (config.model.runInParticipantBrowser && config.model.presets.length > 0) {
        modelRef.current = startParticipantModel(token, curriculum, config.model.presets);
      }
      if (simulate) await jsPsych.simulate(timeline, "visual");
      else await jsPsych.run(timeline);
      if (cancelled) return;
      // the outcome screen replaces jsPsych's last screen (an early end's message included)
      stage.replaceChildren();
      events.stop();
      setLeftFullscreen(false);
      if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
      if (endingRef.current !== "completed") {
        clearInterval(heartbeat); // declined or excluded: the run is no longer active
        modelRef.current?.stop();
      }
      await finish();
    })().catch((e: unknown) => {
      if (!cancelled)
        setPhase({ kind: "error", message: e instanceof Error ? e.message : String(e) });
    });

    return () => {
      cancelled = true;
      events.flushWithBeacon();
      events.stop();
      clearTimeout(resizeTimer);
      window.removeEventListener("resize", onResize);
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
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const closePrompt = () => {
    setLeftFullscreen(false);
    refocusRef.current();
  };
  const returnToFullscreen = () => {
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
    closePrompt();
  };
  const total = curriculum.trials.length;
  const pct = total > 0 ? Math.round((100 * mainDone) / total) : 0;
  const showStage = phase.kind === "loading" || phase.kind === "running";
  return (
    <div style={styles.root} data-testid="experiment-host" data-phase={phase.kind}>
      {phase.kind === "running" && (
        <div
          role="progressbar"
          aria-label="Progress through the task"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          data-testid="task-progress"
          style={styles.progress}
        >
          <div style={{ height: "100%", width: `${pct}%`, background: "#2563eb" }} />
        </div>
      )}
      {phase.kind === "running" && leftFullscreen && (
        <div role="status" data-testid="fullscreen-prompt" style={styles.prompt}>
          <span>You left full screen. The study works best in full screen.</span>
          <button type="button" style={styles.button} onClick={returnToFullscreen}>
            Return to full screen
          </button>
          <button
            type="button"
            style={{ ...styles.button, background: "transparent", color: "#1e3a8a" }}
            onClick={closePrompt}
          >
            Not now
          </button>
        </div>
      )}
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
      {phase.kind === "done" && <OutcomeScreen answer={phase.answer} pilot={pilot} />}
      {phase.kind === "error" && (
        <div style={styles.centre} role="alert">
          <h2>Something went wrong</h2>
          <p>{phase.message}</p>
          <p>
            Your answers are kept in this browser. Please try again; if it keeps failing, contact
            the researcher.
          </p>
          <button type="button" style={styles.button} onClick={() => void finish()}>
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
