// The researcher pages' 404: what was not found, said without hinting whether it exists for
// another researcher, and the way back to the studies list.
import Link from "next/link";

export function ResearcherNotFound({ title, text }: { title: string; text: string }) {
  return (
    <main className="narrow">
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link className="button" href="/studies">
          Your studies
        </Link>
      </p>
    </main>
  );
}
