-- AlterTable
ALTER TABLE "Panel" ADD COLUMN "caption" TEXT;
ALTER TABLE "Panel" ADD COLUMN "dialogue" TEXT;

-- AlterTable: SQLite adds a NOT NULL column with a constant default in place (no table redefinition,
-- so no DROP TABLE "Project" that could cascade into its characters and panels).
ALTER TABLE "Project" ADD COLUMN "orderVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Take" ADD COLUMN "letteredPath" TEXT;
