-- AlterTable
ALTER TABLE "Drawing" ADD COLUMN     "cancelRequestedAt" TIMESTAMP(3),
ADD COLUMN     "progressEdits" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "progressShownAt" TIMESTAMP(3),
ADD COLUMN     "progressText" TEXT,
ADD COLUMN     "prompt" TEXT;
