// Landing page: what the product is, the demo study's participant link, the researcher login.
import Link from "next/link";

import { fetchDemoStudySummary } from "@/lib/server/studies";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const demo = await fetchDemoStudySummary();
  return (
    <main className="narrow">
      <h1>NTA Lab</h1>
      <p>
        Participants learn two alternating rules in the browser while the Neural Task Abstractions
        model (Sandbrink et al., NeurIPS 2024) learns the very same trial sequence. Researchers then
        compare how humans and the model recover after each rule switch, fit the model to every
        participant, and export both trial streams.
      </p>
      <div className="card">
        <h2>Try it</h2>
        {demo ? (
          <ul>
            <li>
              Take part in the demo study:{" "}
              {/* never prefetched: a request to /s/<slug> starts a participant run */}
              <Link href={`/s/${demo.slug}`} prefetch={false} data-testid="demo-participant-link">
                {demo.title}
              </Link>
            </li>
            <li>
              Researchers:{" "}
              <Link href="/login" data-testid="researcher-login-link">
                sign in
              </Link>{" "}
              to manage studies and see the dashboards.
            </li>
          </ul>
        ) : (
          <p className="muted">
            No demo study yet: run <code>npm run db:seed</code>.
          </p>
        )}
      </div>
    </main>
  );
}
