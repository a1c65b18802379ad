-- AlterTable
ALTER TABLE "Panel" ADD COLUMN     "caption" TEXT,
ADD COLUMN     "dialogue" TEXT;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "orderVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Take" ADD COLUMN     "letteredPath" TEXT;
