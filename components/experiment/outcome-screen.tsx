"use client";
// The participant's last screen for every outcome (completed, declined consent, screened out,
// failed practice, withdrawn): what happened, the outcome's code with a copy button, and where the
// recruiter's redirect would go. The code and redirect come only from the server's answer to
// /complete or /return (lib/core/outcomes.ts); this component only shows them.
import { useEffect, useState, type CSSProperties } from "react";

import { errorMessageOf, runCompletionSchema, type RunCompletion } from "@/lib/core/api-responses";
import { NO_CODE_HINT, OUTCOME_MESSAGES, type RunOutcome } from "@/lib/core/outcomes";

/** A full-window screen with its content centred (the host's status screens use it too). */
export const centreScreen: CSSProperties = {
  minHeight: "100vh",
  display: "flex",
  flexDirection: "column",
  alignItems: "center",
  justifyContent: "center",
  gap: "1rem",
  padding: "2rem",
  boxSizing: "border-box",
  textAlign: "center",
  fontFamily: "system-ui, sans-serif",
  fontSize: "1.15rem",
};

const styles = {
  centre: centreScreen,
  codeRow: { display: "flex", gap: "0.75rem", alignItems: "center", flexWrap: "wrap" },
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
} satisfies Record<string, CSSProperties>;

/** Copy `text` to the clipboard; falls back to selecting it where the Clipboard API is missing. */
async function copyText(text: string, fallback: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (fallback) {
      const range = document.createRange();
      range.selectNodeContents(fallback);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
    }
    return false;
  }
}

export function OutcomeScreen({
  answer,
  pilot = false,
}: {
  answer: RunCompletion;
  /** A researcher's pilot run: the redirect is described, never followed. */
  pilot?: boolean;
}) {
  const [copied, setCopied] = useState<"yes" | "selected" | null>(null);
  const [codeEl, setCodeEl] = useState<HTMLElement | null>(null);
  const message = OUTCOME_MESSAGES[answer.outcome];
  return (
    <div style={styles.centre} data-testid="outcome-screen" data-outcome={answer.outcome}>
      <h2>{message.title}</h2>
      <p>{message.body}</p>
      {answer.completionCode ? (
        <>
          <p>Your code — copy it and paste it where you came from (e.g. Prolific):</p>
          <div style={styles.codeRow}>
            <div style={styles.code} data-testid="completion-code" ref={setCodeEl}>
              {answer.completionCode}
            </div>
            <button
              type="button"
              style={styles.button}
              data-testid="copy-code"
              onClick={async () =>
                setCopied((await copyText(answer.completionCode, codeEl)) ? "yes" : "selected")
              }
            >
              {copied === "yes" ? "Copied" : "Copy code"}
            </button>
          </div>
          {copied === "selected" && <p>The code is selected: press Ctrl+C (⌘C on a Mac).</p>}
        </>
      ) : (
        !answer.redirectUrl && <p data-testid="no-code">{NO_CODE_HINT[answer.outcome]}</p>
      )}
      {answer.redirectUrl && pilot && (
        <p data-testid="pilot-redirect">
          Pilot run: participants would now be sent to <code>{answer.redirectUrl}</code>.
        </p>
      )}
      {answer.redirectUrl && !pilot && (
        <p>
          <a href={answer.redirectUrl} data-testid="outcome-redirect">
            Continue to the recruiter&apos;s site
          </a>
        </p>
      )}
      <p>You can close this window now.</p>
    </div>
  );
}

/**
 * A finished run's page (after a reload, or a return with the same external id): asks the server
 * for the run's outcome and code again — /complete for a completed run, /return (which answers a
 * returned run with its stored reason) otherwise — and shows them. Never redirects by itself.
 */
export function FinishedRun({
  token,
  outcome,
  pilot,
}: {
  token: string;
  outcome: RunOutcome;
  pilot: boolean;
}) {
  const [answer, setAnswer] = useState<RunCompletion | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    const path = outcome === "completed" ? "complete" : "return";
    (async () => {
      const res = await fetch(`/api/runs/${encodeURIComponent(token)}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      const raw: unknown = await res.json().catch(() => ({}));
      if (cancelled) return;
      if (!res.ok) return setError(errorMessageOf(raw, `The server answered ${res.status}`));
      setAnswer(runCompletionSchema.parse(raw));
    })().catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [token, outcome]);
  if (answer) return <OutcomeScreen answer={answer} pilot={pilot} />;
  const message = OUTCOME_MESSAGES[outcome];
  return (
    <div style={styles.centre} data-testid="outcome-screen" data-outcome={outcome}>
      <h2>{message.title}</h2>
      <p>This session is finished.</p>
      {error ? <p role="alert">{error}</p> : <p role="status">Looking up your code…</p>}
    </div>
  );
}
