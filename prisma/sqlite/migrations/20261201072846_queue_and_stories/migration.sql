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

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Character" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "modelId" INTEGER NOT NULL,
    "modelVersionId" INTEGER NOT NULL,
    "modelName" TEXT NOT NULL,
    "versionName" TEXT NOT NULL,
    "modelType" TEXT NOT NULL,
    "baseModel" TEXT NOT NULL,
    "air" TEXT NOT NULL,
    "trainedWords" JSONB NOT NULL,
    "nsfw" BOOLEAN NOT NULL DEFAULT false,
    "strength" REAL NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Character_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Character" ("air", "baseModel", "createdAt", "id", "modelId", "modelName", "modelType", "modelVersionId", "name", "nameKey", "nsfw", "projectId", "trainedWords", "versionName") SELECT "air", "baseModel", "createdAt", "id", "modelId", "modelName", "modelType", "modelVersionId", "name", "nameKey", "nsfw", "projectId", "trainedWords", "versionName" FROM "Character";
DROP TABLE "Character";
ALTER TABLE "new_Character" RENAME TO "Character";
CREATE UNIQUE INDEX "Character_projectId_nameKey_key" ON "Character"("projectId", "nameKey");
CREATE TABLE "new_Panel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "characterId" TEXT,
    "number" INTEGER NOT NULL,
    "ownerId" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "enhance" BOOLEAN NOT NULL,
    "allowMature" BOOLEAN NOT NULL DEFAULT false,
    "guildId" TEXT,
    "takeCount" INTEGER NOT NULL DEFAULT 1,
    "caption" TEXT,
    "dialogue" TEXT,
    "storyId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Panel_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Panel_characterId_fkey" FOREIGN KEY ("characterId") REFERENCES "Character" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Panel_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "StoryPlan" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Panel" ("allowMature", "characterId", "createdAt", "enhance", "guildId", "id", "number", "ownerId", "projectId", "prompt", "takeCount") SELECT "allowMature", "characterId", "createdAt", "enhance", "guildId", "id", "number", "ownerId", "projectId", "prompt", "takeCount" FROM "Panel";
DROP TABLE "Panel";
ALTER TABLE "new_Panel" RENAME TO "Panel";
CREATE INDEX "Panel_ownerId_createdAt_idx" ON "Panel"("ownerId", "createdAt");
CREATE INDEX "Panel_guildId_createdAt_idx" ON "Panel"("guildId", "createdAt");
CREATE INDEX "Panel_storyId_idx" ON "Panel"("storyId");
CREATE UNIQUE INDEX "Panel_projectId_number_key" ON "Panel"("projectId", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PanelCharacter_characterId_idx" ON "PanelCharacter"("characterId");

-- CreateIndex
CREATE INDEX "StoryPlan_ownerId_createdAt_idx" ON "StoryPlan"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "Drawing_ownerId_status_idx" ON "Drawing"("ownerId", "status");
