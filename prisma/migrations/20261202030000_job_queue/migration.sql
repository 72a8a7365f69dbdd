-- Job queue: retry backoff, per-key uniqueness of active jobs, retention sweeps.
ALTER TABLE "Job" ADD COLUMN "runAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "Job" ADD COLUMN "dedupeKey" TEXT;

-- At most one queued or running job per (kind, dedupeKey): repeated clicks and concurrent
-- completions cannot queue the same work twice, across app instances.
CREATE UNIQUE INDEX "Job_active_dedupeKey_key" ON "Job"("kind", "dedupeKey")
  WHERE "status" IN ('queued', 'running') AND "dedupeKey" IS NOT NULL;

-- CreateIndex
CREATE INDEX "Job_status_updatedAt_idx" ON "Job"("status", "updatedAt");
