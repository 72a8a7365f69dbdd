"use server";
// Server actions of the study pages: the same lib/server mutations as the API, so validation,
// ownership and the runs-exist rules are identical; refusals come back as per-field messages.
import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";

import { HttpError } from "@/lib/server/http";
import { predictAfterSave } from "@/lib/server/predictions";
import {
  createStudy,
  deleteStudy,
  duplicateStudy,
  setStudyArchived,
  updateStudy,
} from "@/lib/server/studies";
import {
  fieldErrorsFrom,
  formValuesFromFormData,
  studyInputFromForm,
  type StudyFormValues,
} from "@/lib/core/study-form";

import { requireResearcherId } from "./require-researcher";

export type StudyFormState = {
  values: StudyFormValues;
  errors: Record<string, string>;
  message: string | null;
  attempt: number;
};

function refused(err: HttpError, fd: FormData, prev: StudyFormState): StudyFormState {
  const errors = fieldErrorsFrom(err.details);
  const n = Object.keys(errors).length;
  return {
    values: formValuesFromFormData(fd),
    errors,
    message:
      n > 0
        ? `Nothing was saved: fix the ${n === 1 ? "field" : `${n} fields`} marked below.`
        : `Nothing was saved: ${err.message}`,
    attempt: prev.attempt + 1,
  };
}

export async function createStudyAction(
  prev: StudyFormState,
  fd: FormData,
): Promise<StudyFormState> {
  const userId = await requireResearcherId("/studies/new");
  let id: string;
  try {
    id = (await createStudy(userId, studyInputFromForm(fd))).id;
  } catch (err) {
    if (err instanceof HttpError) return refused(err, fd, prev);
    throw err;
  }
  await predictAfterSave(id);
  revalidatePath("/studies");
  redirect(`/studies/${id}`);
}

export async function updateStudyAction(
  studyId: string,
  prev: StudyFormState,
  fd: FormData,
): Promise<StudyFormState> {
  const userId = await requireResearcherId(`/studies/${studyId}/edit`);
  try {
    await updateStudy(userId, studyId, studyInputFromForm(fd));
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) notFound();
    if (err instanceof HttpError) return refused(err, fd, prev);
    throw err;
  }
  await predictAfterSave(studyId);
  revalidatePath(`/studies/${studyId}`);
  redirect(`/studies/${studyId}?saved=1`);
}

export async function setStudyStatusAction(studyId: string, fd: FormData): Promise<void> {
  const userId = await requireResearcherId(`/studies/${studyId}`);
  const status = String(fd.get("status") ?? "");
  try {
    await updateStudy(userId, studyId, { status });
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) notFound();
    if (err instanceof HttpError)
      redirect(`/studies/${studyId}?error=${encodeURIComponent(err.message)}`);
    throw err;
  }
  revalidatePath(`/studies/${studyId}`);
  redirect(`/studies/${studyId}`);
}

/** Duplicate an owned study (same config, new slug, no runs) and open the copy. */
export async function duplicateStudyAction(studyId: string): Promise<void> {
  const userId = await requireResearcherId(`/studies/${studyId}`);
  let id: string;
  try {
    id = (await duplicateStudy(userId, studyId, {})).id;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) notFound();
    if (err instanceof HttpError)
      redirect(`/studies/${studyId}?error=${encodeURIComponent(err.message)}`);
    throw err;
  }
  revalidatePath("/studies");
  redirect(`/studies/${id}?duplicated=1`);
}

/** Archive or unarchive an owned study (form field `archived` = "1" or "0"). */
export async function setStudyArchivedAction(studyId: string, fd: FormData): Promise<void> {
  const userId = await requireResearcherId(`/studies/${studyId}`);
  try {
    await setStudyArchived(userId, studyId, { archived: fd.get("archived") === "1" });
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) notFound();
    throw err;
  }
  revalidatePath("/studies");
  revalidatePath(`/studies/${studyId}`);
  redirect(`/studies/${studyId}`);
}

/** Delete an owned study and all its data once the slug typed into `confirm` matches. */
export async function deleteStudyAction(studyId: string, fd: FormData): Promise<void> {
  const userId = await requireResearcherId(`/studies/${studyId}/delete`);
  let title: string;
  try {
    title = (await deleteStudy(userId, studyId, { confirm: String(fd.get("confirm") ?? "") })).study
      .title;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) notFound();
    if (err instanceof HttpError && err.status === 422)
      redirect(`/studies/${studyId}/delete?mismatch=1`);
    throw err;
  }
  revalidatePath("/studies");
  redirect(`/studies?deleted=${encodeURIComponent(title)}`);
}
