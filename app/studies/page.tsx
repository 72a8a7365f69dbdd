// The signed-in researcher's studies.
import Link from "next/link";

import { fetchStudiesForOwner } from "@/lib/server/studies";

import { requireResearcherId } from "./require-researcher";

export const dynamic = "force-dynamic";

export default async function StudiesPage() {
  const userId = await requireResearcherId("/studies");
  const studies = await fetchStudiesForOwner(userId);
  return (
    <main>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>Your studies</h1>
        <Link className="button" href="/studies/new">
          New study
        </Link>
      </div>
      {studies.length === 0 ? (
        <p className="muted">No studies yet. Create one to get a participant link.</p>
      ) : (
        <table className="data" data-testid="studies-table">
          <thead>
            <tr>
              <th>Title</th>
              <th>Participant link</th>
              <th>Status</th>
              <th className="r-num">Runs</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {studies.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/studies/${s.id}`}>{s.title}</Link>
                </td>
                <td>
                  <code>/s/{s.slug}</code>
                </td>
                <td>
                  <span className={`r-badge r-${s.status}`}>{s.status}</span>
                </td>
                <td className="r-num">{s.runCount}</td>
                <td>{s.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
