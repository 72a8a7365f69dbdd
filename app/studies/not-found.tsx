// Shown for an unknown study id and for another researcher's study alike (no hint which).
import { ResearcherNotFound } from "@/components/studies/not-found-page";

export default function StudyNotFound() {
  return (
    <ResearcherNotFound
      title="Study not found"
      text="This study does not exist, or it belongs to another researcher account."
    />
  );
}
