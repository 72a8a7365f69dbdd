// The signed-in researcher's studies: participants completed of all who started (pilot runs never
// count); archived studies only on request (?archived=1).
import Link from "next/link";

import { countArchivedStudies, fetchStudiesForOwner } from "@/lib/server/studies";

import { requireResearcherId } from "./require-researcher";

export const dynamic = "force-dynamic";

export default async function StudiesPage({
  searchParams,
}: {
  searchParams: Promise<{ archived?: string; deleted?: string }>;
}) {
  const { archived, deleted } = await searchParams;
  const includeArchived = archived === "1";
  const userId = await requireResearcherId("/studies");
  const [studies, archivedCount] = await Promise.all([
    fetchStudiesForOwner(userId, { includeArchived }),
    countArchivedStudies(userId),
  ]);
  return (
    <main>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>Your studies</h1>
        <Link className="button" href="/studies/new">
          New study
        </Link>
      </div>
      {deleted ? (
        <p className="r-notice" role="status" data-testid="deleted-notice">
          Deleted “{deleted}” and all its data.
        </p>
      ) : null}
      {studies.length === 0 ? (
        <p className="muted">
          {archivedCount > 0 && !includeArchived
            ? "No active studies. "
            : "No studies yet. Create one to get a participant link."}
        </p>
      ) : (
        <table className="data" data-testid="studies-table">
          <thead>
            <tr>
              <th>Title</th>
              <th>Participant link</th>
              <th>Status</th>
              <th
                className="r-num"
                title="Participants who completed, of all who started (pilot runs not counted)"
              >
                Completed / participants
              </th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {studies.map((s) => (
              <tr key={s.id} data-testid={`study-row-${s.slug}`}>
                <td>
                  <Link href={`/studies/${s.id}`}>{s.title}</Link>
                </td>
                <td>
                  <code>/s/{s.slug}</code>
                </td>
                <td>
                  <span className={`r-badge r-${s.status}`}>{s.status}</span>
                  {s.archivedAt ? (
                    <>
                      {" "}
                      <span className="r-badge r-archived">archived</span>
                    </>
                  ) : null}
                </td>
                <td className="r-num" data-testid="study-counts">
                  {s.completed} / {s.participants}
                </td>
                <td>{s.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {archivedCount > 0 ? (
        <p className="muted">
          {includeArchived ? (
            <Link href="/studies" data-testid="toggle-archived">
              Hide archived studies
            </Link>
          ) : (
            <Link href="/studies?archived=1" data-testid="toggle-archived">
              Show {archivedCount} archived stud{archivedCount === 1 ? "y" : "ies"}
            </Link>
          )}
        </p>
      ) : null}
    </main>
  );
}
