// Shown for an unknown participant run id (and for another researcher's study alike).
import { ResearcherNotFound } from "@/components/studies/not-found-page";

export default function ParticipantNotFound() {
  return (
    <ResearcherNotFound
      title="Participant not found"
      text="No participant run has this id in a study of yours."
    />
  );
}
