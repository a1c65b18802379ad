-- AlterTable
ALTER TABLE "Drawing" ADD COLUMN "followTakeId" TEXT;

-- AlterTable
ALTER TABLE "Panel" ADD COLUMN "followPanelId" TEXT;
