-- CreateTable
CREATE TABLE "RunSwitchSummary" (
    "runId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "stamp" TIMESTAMP(3),
    "blocks" INTEGER NOT NULL,
    "blockLength" INTEGER NOT NULL,
    "trials" INTEGER NOT NULL,
    "sums" JSON NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunSwitchSummary_pkey" PRIMARY KEY ("runId","key")
);

-- CreateTable
CREATE TABLE "ModelRunSwitchSummary" (
    "modelRunId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "stamp" TIMESTAMP(3),
    "sums" JSON NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelRunSwitchSummary_pkey" PRIMARY KEY ("modelRunId","key")
);

-- AddForeignKey
ALTER TABLE "RunSwitchSummary" ADD CONSTRAINT "RunSwitchSummary_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelRunSwitchSummary" ADD CONSTRAINT "ModelRunSwitchSummary_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
