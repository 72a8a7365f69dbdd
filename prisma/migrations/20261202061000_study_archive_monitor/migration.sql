-- Archived studies (hidden from the studies list by default, closed to every link until unarchived).
ALTER TABLE "Study" ADD COLUMN "archivedAt" TIMESTAMP(3);

-- The monitor reads the model-stream jobs of one page of runs by run id.
CREATE INDEX "Job_runId_idx" ON "Job"("runId");
