// Confirm deleting a study (owner only): what will be removed, counted now, and the slug typed to
// confirm; the action deletes everything in one transaction (lib/server/studies.ts deleteStudy).
import Link from "next/link";
import { notFound } from "next/navigation";

import { HttpError } from "@/lib/server/http";
import { describeDeletion, fetchStudyDeletionSummary } from "@/lib/server/studies";

import { deleteStudyAction } from "../../actions";
import { requireResearcherId } from "../../require-researcher";

export const dynamic = "force-dynamic";

export default async function DeleteStudyPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ mismatch?: string }>;
}) {
  const { id } = await params;
  const { mismatch } = await searchParams;
  const userId = await requireResearcherId(`/studies/${id}/delete`);
  const found = await fetchStudyDeletionSummary(userId, id).catch((err: unknown) => {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  });
  if (!found) notFound();
  const { study, summary } = found;
  const rows: [string, number][] = [
    ["Runs (participants and pilots)", summary.runs],
    ["of them pilot runs", summary.pilotRuns],
    ["Human trials", summary.trials],
    ["Interaction events (full screen, tab switches, resizes)", summary.events],
    ["Model streams", summary.modelRuns],
    ["Model trials", summary.modelTrials],
    ["Fits", summary.fits],
    ["Jobs", summary.jobs],
  ];
  return (
    <main className="narrow">
      <p>
        <Link href={`/studies/${study.id}`}>← {study.title}</Link>
      </p>
      <h1>Delete “{study.title}”?</h1>
      <p data-testid="delete-summary">
        This removes the study <code>{study.slug}</code> and {describeDeletion(summary)}. It cannot
        be undone; export the data first if you may need them.
      </p>
      <table className="data r-delete-list" data-testid="delete-counts">
        <tbody>
          {rows.map(([label, n]) => (
            <tr key={label}>
              <td>{label}</td>
              <td className="r-num">{n.toLocaleString("en-US")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {study.status === "open" && !study.archivedAt ? (
        <p className="r-error-box">
          The study is open: participants may be taking it right now. Their runs are deleted too.
        </p>
      ) : null}
      <form action={deleteStudyAction.bind(null, study.id)} className="r-stack">
        <label className="r-field">
          <span>
            Type the study&apos;s slug, <code>{study.slug}</code>, to confirm
          </span>
          <input
            type="text"
            name="confirm"
            autoComplete="off"
            required
            data-testid="delete-confirm-input"
          />
          {mismatch ? (
            <span className="r-field-error" role="alert" data-testid="delete-mismatch">
              That is not the slug; nothing was deleted.
            </span>
          ) : null}
        </label>
        <div className="r-actions">
          <button className="button r-danger" type="submit" data-testid="delete-confirm">
            Delete the study and all its data
          </button>
          <Link className="button secondary" href={`/studies/${study.id}`}>
            Cancel
          </Link>
        </div>
      </form>
    </main>
  );
}
