-- AlterTable
ALTER TABLE "User" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "timingFlags" JSONB,
ADD COLUMN     "transferredAt" TIMESTAMP(3),
ADD COLUMN     "transfers" INTEGER NOT NULL DEFAULT 0;
