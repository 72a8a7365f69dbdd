// Shown for an unknown participant run id (and for another researcher's study alike).
import Link from "next/link";

export default function ParticipantNotFound() {
  return (
    <main className="narrow">
      <h1>Participant not found</h1>
      <p>No participant run has this id in a study of yours.</p>
      <p>
        <Link className="button" href="/studies">
          Your studies
        </Link>
      </p>
    </main>
  );
}
