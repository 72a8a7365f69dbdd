// /paper (researchers only): reproduce Fig. 2 and Fig. 8B of Sandbrink et al. (NeurIPS 2024) in
// this browser's model worker, with the acceptance bands of docs/science.md §7 beside the numbers.
import Link from "next/link";

import { PaperRunner } from "@/components/dashboard/paper-runner";

import "../dashboard.css";
import { requireResearcherId } from "../studies/require-researcher";

export const dynamic = "force-dynamic";

export default async function PaperPage() {
  await requireResearcherId("/paper");
  return (
    <main>
      <p>
        <Link href="/studies">← Studies</Link>
      </p>
      <h1>Paper reproduction: Neural Task Abstractions</h1>
      <p className="muted">
        Sandbrink, Bauer, Proca, Saxe, Summerfield &amp; Hummos, NeurIPS 2024. The Gaussian
        teacher–student configurations of the paper (Tables 2–3) run here in a Web Worker in your
        browser; nothing is sent to the server. Compare the measured numbers with the paper&apos;s
        claims: the ranges are coarse readings of the paper&apos;s figures, and with few seeds a
        value can fall outside by chance.
      </p>
      <PaperRunner />
    </main>
  );
}
