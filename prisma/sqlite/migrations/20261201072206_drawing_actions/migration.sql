-- AlterTable (added columns only: no table rebuild, no data copied)
ALTER TABLE "Drawing" ADD COLUMN "cancelRequestedAt" DATETIME;
ALTER TABLE "Drawing" ADD COLUMN "progressEdits" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Drawing" ADD COLUMN "progressShownAt" DATETIME;
ALTER TABLE "Drawing" ADD COLUMN "progressText" TEXT;
ALTER TABLE "Drawing" ADD COLUMN "prompt" TEXT;
