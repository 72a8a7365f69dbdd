// Edit a study's settings (owner only; anyone else gets a 404).
import Link from "next/link";
import { notFound } from "next/navigation";

import { StudyForm } from "@/components/studies/study-form";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getTaskPair } from "@/lib/core/task-pairs";
import { countStudyRuns, fetchOwnedStudy } from "@/lib/server/studies";
import { studyFormValues } from "@/lib/core/study-form";

import { updateStudyAction } from "../../actions";
import { requireResearcherId } from "../../require-researcher";

export const dynamic = "force-dynamic";

export default async function EditStudyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const userId = await requireResearcherId(`/studies/${id}/edit`);
  const study = await fetchOwnedStudy(userId, id);
  if (!study) notFound();
  const config = studyConfigSchema.parse(study.config);
  const runs = await countStudyRuns(study.id);
  const [a, b] = getTaskPair(config.taskPair).tasks;
  return (
    <main>
      <p>
        <Link href={`/studies/${study.id}`}>← {study.title}</Link>
      </p>
      <h1>Edit settings</h1>
      <StudyForm
        action={updateStudyAction.bind(null, study.id)}
        initial={{
          values: studyFormValues({ title: study.title, slug: study.slug, config }),
          errors: {},
          message: null,
          attempt: 0,
        }}
        submitLabel="Save settings"
        taskLabels={{ A: a.id, B: b.id }}
        participantRuns={runs.participants}
        slugLocked={runs.participants > 0}
      />
    </main>
  );
}
