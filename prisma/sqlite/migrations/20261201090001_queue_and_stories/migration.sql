-- CreateTable
CREATE TABLE "PanelCharacter" (
    "panelId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "characterId" TEXT NOT NULL,

    PRIMARY KEY ("panelId", "position"),
    CONSTRAINT "PanelCharacter_panelId_fkey" FOREIGN KEY ("panelId") REFERENCES "Panel" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PanelCharacter_characterId_fkey" FOREIGN KEY ("characterId") REFERENCES "Character" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StoryPlan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "story" TEXT NOT NULL,
    "plan" JSONB NOT NULL,
    "estimatedBuzz" REAL,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "guildId" TEXT,
    "channelId" TEXT NOT NULL,
    "allowMature" BOOLEAN NOT NULL DEFAULT false,
    "enhance" BOOLEAN NOT NULL DEFAULT true,
    "applicationId" TEXT,
    "interactionToken" TEXT,
    "interactionCreatedAt" DATETIME,
    "messageId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StoryPlan_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable: columns with constant defaults (or NULL, for a reference) are added in place, with no
-- table redefinition: "Panel" keeps its caption and dialogue, and no DROP TABLE can cascade.
ALTER TABLE "Character" ADD COLUMN "strength" REAL NOT NULL DEFAULT 1;
ALTER TABLE "Panel" ADD COLUMN "storyId" TEXT REFERENCES "StoryPlan" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "Panel_storyId_idx" ON "Panel"("storyId");

-- CreateIndex
CREATE INDEX "PanelCharacter_characterId_idx" ON "PanelCharacter"("characterId");

-- CreateIndex
CREATE INDEX "StoryPlan_ownerId_createdAt_idx" ON "StoryPlan"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "Drawing_ownerId_status_idx" ON "Drawing"("ownerId", "status");
