// Shown for an unknown study id and for another researcher's study alike (no hint which).
import Link from "next/link";

export default function StudyNotFound() {
  return (
    <main className="narrow">
      <h1>Study not found</h1>
      <p>This study does not exist, or it belongs to another researcher account.</p>
      <p>
        <Link className="button" href="/studies">
          Your studies
        </Link>
      </p>
    </main>
  );
}
