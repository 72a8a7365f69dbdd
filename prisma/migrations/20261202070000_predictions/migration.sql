-- CreateTable
CREATE TABLE "Prediction" (
    "id" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "preset" TEXT NOT NULL,
    "inputsHash" TEXT NOT NULL,
    "design" JSONB NOT NULL,
    "params" JSONB NOT NULL,
    "participants" INTEGER NOT NULL,
    "modelSeeds" INTEGER NOT NULL,
    "sums" JSON NOT NULL,
    "codeVersion" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Prediction_studyId_condition_preset_key" ON "Prediction"("studyId", "condition", "preset");

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;
