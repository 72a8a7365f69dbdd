// Friendly refusal page for a recruitment link that cannot start a run.
const messages: Record<string, { title: string; body: string }> = {
  "already-completed": {
    title: "You have already taken part",
    body: "Our records show that you have already completed (or returned) this study. Each person can take part once. Thank you!",
  },
  closed: {
    title: "This study is not open",
    body: "The study is closed or has not started yet. Please check back later or contact the researcher.",
  },
  archived: {
    title: "This study has ended",
    body: "The researcher has archived this study, so it no longer accepts participants. Thank you for your interest.",
  },
  "not-found": {
    title: "Study not found",
    body: "This link does not match any study. Please check the link you were given.",
  },
  "rate-limited": {
    title: "Too many new sessions",
    body: "Many sessions were started from your network in the last few minutes. Please wait ten minutes and open the link again.",
  },
  "bad-pilot": {
    title: "This pilot link is not valid",
    body: "The pilot link does not match this study, so no session was started. Copy the pilot link from the study's page again.",
  },
  "bad-condition": {
    title: "This condition is not valid",
    body: "Only a pilot link can choose a condition, and only one that this study has (the names are case-sensitive), so no session was started. Copy the pilot link from the study's page again.",
  },
  "bad-link": {
    title: "This link is not valid",
    body: "Some of the link's parameters are malformed. Please use the exact link you were given.",
  },
};

export default async function ClosedPage({
  searchParams,
}: {
  searchParams: Promise<{ reason?: string }>;
}) {
  const { reason } = await searchParams;
  const m = messages[reason ?? ""] ?? messages["not-found"];
  return (
    <main className="narrow">
      <h1>{m.title}</h1>
      <p>{m.body}</p>
    </main>
  );
}
