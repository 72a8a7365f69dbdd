-- CreateTable
CREATE TABLE "RunEvent" (
    "runId" TEXT NOT NULL,
    "pageId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "timeMs" DOUBLE PRECISION NOT NULL,
    "phase" "TrialPhase",
    "trialIndex" INTEGER,
    "width" INTEGER,
    "height" INTEGER,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunEvent_pkey" PRIMARY KEY ("runId","pageId","seq")
);

-- AddForeignKey
ALTER TABLE "RunEvent" ADD CONSTRAINT "RunEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
