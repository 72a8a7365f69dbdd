// Landing page: what the product is, a live picture of the simulated demo study (participants vs
// flexible vs forgetful model after each switch), the demo study's participant link, the researcher
// login and the paper reproduction.
import Link from "next/link";

import { TrendChart } from "@/components/charts/trend-chart";
import { fig8Streams, toTrendChartData } from "@/lib/core/recovery";
import { fetchDemoPicture } from "@/lib/server/dashboard";
import { SIMULATED_STUDY_SLUG, fetchDemoStudySummary } from "@/lib/server/studies";

import "./dashboard.css";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const [demo, picture] = await Promise.all([
    fetchDemoStudySummary(),
    fetchDemoPicture(SIMULATED_STUDY_SLUG),
  ]);
  const trend = picture
    ? toTrendChartData(
        fig8Streams(picture, "Simulated participants").map((st) => ({
          key: st.key,
          label: st.label,
          perSwitch: st.analysis.trend.perSwitch,
          intervals: st.intervals,
        })),
        "errorPct",
      )
    : null;
  return (
    <main className="narrow">
      <h1>NTA Lab</h1>
      <p>
        Participants learn two alternating rules in the browser while the Neural Task Abstractions
        model (Sandbrink et al., NeurIPS 2024) learns the very same trial sequence. Researchers then
        compare how humans and the model recover after each rule switch, fit the model to every
        participant, and export both trial streams.
      </p>
      {picture && trend ? (
        <section className="card" data-testid="home-picture">
          <h2 style={{ marginTop: 0 }}>The question, on simulated data</h2>
          <p className="muted" style={{ marginTop: 0 }}>
            {picture.participants} <strong>simulated</strong> participants (not real people;{" "}
            {picture.design?.blocks} blocks × {picture.design?.blockLength} trials) and the model
            learning each one&apos;s trial sequence. Does the error right after a switch fall with
            practice? The flexible model&apos;s does (its gates specialise); the forgetful
            model&apos;s does not. People who get faster at switching look flexible.
          </p>
          <TrendChart
            title="Errors after each switch"
            rows={trend.rows}
            series={trend.series}
            measure="errorPct"
            positions={picture.positions}
            testId="home-trend"
            bandNote="95% bootstrap CI over participants, ± 1 SE over model streams"
          />
          <p style={{ marginBottom: 0 }}>
            Researchers: the full dashboard of this study is under the demo login;{" "}
            <Link href="/paper">the paper&apos;s figures reproduced in your browser</Link>.
          </p>
        </section>
      ) : null}
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
              to manage studies and see the dashboards, or open the{" "}
              <Link href="/paper">paper reproduction</Link>.
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
