"use client";
// A finished run's page after a reload: the completion code is not in the page; this asks the
// server for it again (POST /complete is idempotent and answers only for a completed run).
import { useState } from "react";

import { errorMessageOf, runCompletionSchema } from "@/lib/core/api-responses";

export function ShowCompletionCode({ token }: { token: string }) {
  const [answer, setAnswer] = useState<{ code?: string; error?: string } | null>(null);
  async function show() {
    const res = await fetch(`/api/runs/${encodeURIComponent(token)}/complete`, { method: "POST" });
    const raw: unknown = await res.json().catch(() => ({}));
    if (!res.ok)
      return setAnswer({ error: errorMessageOf(raw, `The server answered ${res.status}`) });
    const body = runCompletionSchema.safeParse(raw).data;
    if (!body) return setAnswer({ error: "The server's answer could not be read" });
    if (body.redirectUrl) return window.location.assign(body.redirectUrl);
    setAnswer({ code: body.completionCode });
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
