-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "condition" TEXT,
ADD COLUMN     "counterbalanceCell" INTEGER;

-- CreateIndex
CREATE INDEX "Run_studyId_condition_idx" ON "Run"("studyId", "condition");
