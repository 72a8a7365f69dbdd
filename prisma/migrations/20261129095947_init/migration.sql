-- CreateEnum
CREATE TYPE "StudyStatus" AS ENUM ('draft', 'open', 'closed');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('started', 'active', 'completed', 'abandoned', 'returned');

-- CreateEnum
CREATE TYPE "TrialPhase" AS ENUM ('practice', 'main');

-- CreateEnum
CREATE TYPE "ModelSource" AS ENUM ('server', 'researcher_browser', 'participant_browser', 'paper');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'running', 'done', 'failed');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Study" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "status" "StudyStatus" NOT NULL DEFAULT 'draft',
    "runCounter" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Study_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "participantIndex" INTEGER NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'direct',
    "externalId" TEXT,
    "externalStudyId" TEXT,
    "externalSessionId" TEXT,
    "isPilot" BOOLEAN NOT NULL DEFAULT false,
    "seed" INTEGER NOT NULL,
    "curriculum" JSONB NOT NULL,
    "config" JSONB NOT NULL,
    "codeVersion" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'started',
    "expectedTrials" INTEGER NOT NULL,
    "userAgent" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Trial" (
    "runId" TEXT NOT NULL,
    "phase" "TrialPhase" NOT NULL DEFAULT 'main',
    "trialIndex" INTEGER NOT NULL,
    "blockIndex" INTEGER NOT NULL,
    "trialInBlock" INTEGER NOT NULL,
    "task" TEXT NOT NULL,
    "stimulus" TEXT NOT NULL,
    "correctResponse" TEXT NOT NULL,
    "congruent" BOOLEAN NOT NULL,
    "response" TEXT,
    "correct" BOOLEAN NOT NULL,
    "rtMs" DOUBLE PRECISION,
    "timeElapsedMs" DOUBLE PRECISION,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Trial_pkey" PRIMARY KEY ("runId","phase","trialIndex")
);

-- CreateTable
CREATE TABLE "ModelRun" (
    "id" TEXT NOT NULL,
    "runId" TEXT,
    "studyId" TEXT,
    "preset" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "seed" INTEGER NOT NULL,
    "codeVersion" TEXT NOT NULL,
    "source" "ModelSource" NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "expectedTrials" INTEGER NOT NULL DEFAULT 0,
    "metrics" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ModelRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelTrial" (
    "modelRunId" TEXT NOT NULL,
    "trialIndex" INTEGER NOT NULL,
    "blockIndex" INTEGER NOT NULL,
    "trialInBlock" INTEGER NOT NULL,
    "task" TEXT NOT NULL,
    "stimulus" TEXT NOT NULL,
    "correctResponse" TEXT NOT NULL,
    "congruent" BOOLEAN NOT NULL,
    "response" TEXT NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "output" DOUBLE PRECISION NOT NULL,
    "loss" DOUBLE PRECISION NOT NULL,
    "gates" DOUBLE PRECISION[],

    CONSTRAINT "ModelTrial_pkey" PRIMARY KEY ("modelRunId","trialIndex")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "message" TEXT,
    "result" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "studyId" TEXT,
    "runId" TEXT,
    "lockedBy" TEXT,
    "lockedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Fit" (
    "id" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "runId" TEXT,
    "model" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "uncertainty" JSONB,
    "logLik" DOUBLE PRECISION NOT NULL,
    "bic" DOUBLE PRECISION NOT NULL,
    "nTrials" INTEGER NOT NULL,
    "nParams" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "codeVersion" TEXT NOT NULL,
    "jobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Fit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Study_slug_key" ON "Study"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Run_token_key" ON "Run"("token");

-- CreateIndex
CREATE INDEX "Run_studyId_status_idx" ON "Run"("studyId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Run_studyId_participantIndex_key" ON "Run"("studyId", "participantIndex");

-- CreateIndex
CREATE UNIQUE INDEX "Run_studyId_externalId_key" ON "Run"("studyId", "externalId");

-- CreateIndex
CREATE INDEX "Trial_runId_blockIndex_trialInBlock_idx" ON "Trial"("runId", "blockIndex", "trialInBlock");

-- CreateIndex
CREATE INDEX "ModelRun_studyId_idx" ON "ModelRun"("studyId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelRun_runId_preset_source_key" ON "ModelRun"("runId", "preset", "source");

-- CreateIndex
CREATE INDEX "ModelTrial_modelRunId_blockIndex_trialInBlock_idx" ON "ModelTrial"("modelRunId", "blockIndex", "trialInBlock");

-- CreateIndex
CREATE INDEX "Job_status_createdAt_idx" ON "Job"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Job_studyId_idx" ON "Job"("studyId");

-- CreateIndex
CREATE INDEX "Fit_studyId_runId_idx" ON "Fit"("studyId", "runId");

-- AddForeignKey
ALTER TABLE "Study" ADD CONSTRAINT "Study_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Trial" ADD CONSTRAINT "Trial_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelRun" ADD CONSTRAINT "ModelRun_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelRun" ADD CONSTRAINT "ModelRun_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelTrial" ADD CONSTRAINT "ModelTrial_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Fit" ADD CONSTRAINT "Fit_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Fit" ADD CONSTRAINT "Fit_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
