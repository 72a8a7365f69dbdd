"use client";
// A finished run's page after a reload: the completion code is not in the page; this asks the
// server for it again (POST /complete is idempotent and answers only for a completed run).
import { useState } from "react";

export function ShowCompletionCode({ token }: { token: string }) {
  const [answer, setAnswer] = useState<{ code?: string; error?: string } | null>(null);
  async function show() {
    const res = await fetch(`/api/runs/${encodeURIComponent(token)}/complete`, { method: "POST" });
    const body = (await res.json().catch(() => ({}))) as {
      completionCode?: string;
      redirectUrl?: string;
      error?: string;
    };
    if (!res.ok) return setAnswer({ error: body.error ?? `The server answered ${res.status}` });
    if (body.redirectUrl) return window.location.assign(body.redirectUrl);
    setAnswer({ code: body.completionCode ?? "" });
  }
  if (answer?.code) return <p data-testid="completion-code">{answer.code}</p>;
  if (answer?.code === "") return <p>This study has no completion code.</p>;
  return (
    <p>
      <button type="button" onClick={() => void show()}>
        Show my completion code
      </button>
      {answer?.error ? <span role="alert"> {answer.error}</span> : null}
    </p>
  );
}
