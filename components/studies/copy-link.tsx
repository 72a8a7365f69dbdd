"use client";
// A link a researcher pastes elsewhere (Prolific, a pilot email): shown in full, copied on click.
import { useState, useSyncExternalStore } from "react";

const noSubscription = () => () => undefined;

export function CopyLink({
  label,
  path,
  testId,
}: {
  label: string;
  path: string;
  testId?: string;
}) {
  const [copied, setCopied] = useState(false);
  // The absolute URL needs the browser's origin; the server renders the path until hydration.
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => "",
  );
  const full = `${origin}${path}`;
  return (
    <>
      <span>{label}</span>
      <code data-testid={testId}>{full}</code>
      <button
        type="button"
        className="button secondary"
        onClick={async () => {
          await navigator.clipboard?.writeText(full).catch(() => undefined);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        }}
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </>
  );
}
