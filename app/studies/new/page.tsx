// Create a study: the settings form with the science defaults filled in.
import Link from "next/link";

import { CurriculumPreview } from "@/components/studies/curriculum-preview";
import { StudyForm } from "@/components/studies/study-form";
import { defaultStudyConfig } from "@/lib/core/study-config";
import { getTaskPair } from "@/lib/core/task-pairs";
import { computeCurriculumPreview } from "@/lib/server/studies";
import { studyFormValues } from "@/lib/server/study-form";

import { createStudyAction } from "../actions";
import { requireResearcherId } from "../require-researcher";

export const dynamic = "force-dynamic";

export default async function NewStudyPage() {
  await requireResearcherId("/studies/new");
  const config = defaultStudyConfig();
  const [a, b] = getTaskPair(config.taskPair).tasks;
  return (
    <main>
      <p>
        <Link href="/studies">← Studies</Link>
      </p>
      <h1>New study</h1>
      <p className="muted">
        The defaults are the lab&apos;s standard design (docs/science.md §10). A new study starts as
        a draft: only you can try it, through the pilot link.
      </p>
      <StudyForm
        action={createStudyAction}
        initial={{
          values: studyFormValues({ title: "", slug: "", config }),
          errors: {},
          message: null,
          attempt: 0,
        }}
        submitLabel="Create study"
        taskLabels={{ A: a.id, B: b.id }}
      />
      <h2>With the default settings</h2>
      <CurriculumPreview preview={computeCurriculumPreview(config)} />
    </main>
  );
}
