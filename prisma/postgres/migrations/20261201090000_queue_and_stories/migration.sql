-- CreateEnum
CREATE TYPE "StoryStatus" AS ENUM ('planned', 'drawing', 'canceled');

-- AlterEnum
ALTER TYPE "PanelStatus" ADD VALUE 'waiting';

-- AlterTable
ALTER TABLE "Character" ADD COLUMN     "strength" DOUBLE PRECISION NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Panel" ADD COLUMN     "storyId" TEXT;

-- CreateTable
CREATE TABLE "PanelCharacter" (
    "panelId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "characterId" TEXT NOT NULL,

    CONSTRAINT "PanelCharacter_pkey" PRIMARY KEY ("panelId","position")
);

-- CreateTable
CREATE TABLE "StoryPlan" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "story" TEXT NOT NULL,
    "plan" JSONB NOT NULL,
    "estimatedBuzz" DOUBLE PRECISION,
    "status" "StoryStatus" NOT NULL DEFAULT 'planned',
    "guildId" TEXT,
    "channelId" TEXT NOT NULL,
    "allowMature" BOOLEAN NOT NULL DEFAULT false,
    "enhance" BOOLEAN NOT NULL DEFAULT true,
    "applicationId" TEXT,
    "interactionToken" TEXT,
    "interactionCreatedAt" TIMESTAMP(3),
    "messageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoryPlan_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PanelCharacter_characterId_idx" ON "PanelCharacter"("characterId");

-- CreateIndex
CREATE INDEX "StoryPlan_ownerId_createdAt_idx" ON "StoryPlan"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "Drawing_ownerId_status_idx" ON "Drawing"("ownerId", "status");

-- CreateIndex
CREATE INDEX "Panel_storyId_idx" ON "Panel"("storyId");

-- AddForeignKey
ALTER TABLE "Panel" ADD CONSTRAINT "Panel_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "StoryPlan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PanelCharacter" ADD CONSTRAINT "PanelCharacter_panelId_fkey" FOREIGN KEY ("panelId") REFERENCES "Panel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PanelCharacter" ADD CONSTRAINT "PanelCharacter_characterId_fkey" FOREIGN KEY ("characterId") REFERENCES "Character"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryPlan" ADD CONSTRAINT "StoryPlan_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
