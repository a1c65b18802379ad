-- CreateTable
CREATE TABLE "Drawing" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "panelId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "finalPrompt" TEXT,
    "enhanceNote" TEXT,
    "params" JSONB,
    "workflowId" TEXT,
    "failureReason" TEXT,
    "submittedAt" DATETIME,
    "completedAt" DATETIME,
    "checks" INTEGER NOT NULL DEFAULT 0,
    "cost" REAL,
    "applicationId" TEXT NOT NULL,
    "interactionId" TEXT NOT NULL,
    "interactionToken" TEXT NOT NULL,
    "interactionCreatedAt" DATETIME NOT NULL,
    "channelId" TEXT NOT NULL,
    "guildId" TEXT,
    "messageId" TEXT,
    "delivery" TEXT NOT NULL DEFAULT 'pending',
    "deliveredAt" DATETIME,
    "deliveryError" TEXT,
    "tokenDead" BOOLEAN NOT NULL DEFAULT false,
    "deliveryStartedAt" DATETIME,
    "dueAt" DATETIME,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    CONSTRAINT "Drawing_panelId_fkey" FOREIGN KEY ("panelId") REFERENCES "Panel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Take" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "drawingId" TEXT NOT NULL,
    "panelId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "workflowId" TEXT NOT NULL,
    "seed" INTEGER,
    "imagePath" TEXT NOT NULL,
    "imageMime" TEXT NOT NULL,
    "imageSize" INTEGER NOT NULL,
    "chosen" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Take_drawingId_fkey" FOREIGN KEY ("drawingId") REFERENCES "Drawing" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Take_panelId_fkey" FOREIGN KEY ("panelId") REFERENCES "Panel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UserSlot" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "updatedAt" DATETIME NOT NULL
);

-- Carry the data across: each panel's one generation, message and job become its first drawing
-- (same id, so in-flight workflows keep their externalId and callbacks their signed path), and a
-- kept picture becomes its one chosen take.
INSERT INTO "Drawing" ("id", "panelId", "ownerId", "createdAt", "status", "finalPrompt", "enhanceNote", "params", "workflowId",
    "failureReason", "submittedAt", "completedAt", "checks", "applicationId", "interactionId", "interactionToken",
    "interactionCreatedAt", "channelId", "guildId", "messageId", "delivery", "deliveredAt", "deliveryError", "tokenDead",
    "deliveryStartedAt", "dueAt", "errorCount", "leaseOwner", "leaseUntil")
SELECT "id", "id", "ownerId", "createdAt", "status", "finalPrompt", "enhanceNote", "params", "workflowId",
    "failureReason", "submittedAt", "completedAt", "checks", "applicationId", "interactionId", "interactionToken",
    "interactionCreatedAt", "channelId", "guildId", "messageId", "delivery", "deliveredAt", "deliveryError", "tokenDead",
    "deliveryStartedAt", "nextCheckAt", "errorCount", "leaseOwner", "leaseUntil"
FROM "Panel";

INSERT INTO "Take" ("id", "drawingId", "panelId", "index", "workflowId", "seed", "imagePath", "imageMime", "imageSize", "chosen", "createdAt")
SELECT "id", "id", "id", 1, "workflowId", CAST(json_extract("params", '$.seed') AS INTEGER), "imagePath", COALESCE("imageMime", 'image/png'),
    COALESCE("imageSize", 0), true, COALESCE("completedAt", "createdAt")
FROM "Panel"
WHERE "imagePath" IS NOT NULL AND "workflowId" IS NOT NULL;

-- RedefineTables (the panel keeps its content only)
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Panel_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Panel_characterId_fkey" FOREIGN KEY ("characterId") REFERENCES "Character" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Panel" ("id", "projectId", "characterId", "number", "ownerId", "prompt", "enhance", "allowMature", "guildId", "createdAt")
SELECT "id", "projectId", "characterId", "number", "ownerId", "prompt", "enhance", "allowMature", "guildId", "createdAt" FROM "Panel";
DROP TABLE "Panel";
ALTER TABLE "new_Panel" RENAME TO "Panel";
CREATE UNIQUE INDEX "Panel_projectId_number_key" ON "Panel"("projectId", "number");
CREATE INDEX "Panel_ownerId_createdAt_idx" ON "Panel"("ownerId", "createdAt");
CREATE INDEX "Panel_guildId_createdAt_idx" ON "Panel"("guildId", "createdAt");

-- CreateIndex
CREATE INDEX "Drawing_dueAt_idx" ON "Drawing"("dueAt");

-- CreateIndex
CREATE INDEX "Drawing_panelId_createdAt_idx" ON "Drawing"("panelId", "createdAt");

-- CreateIndex
CREATE INDEX "Drawing_ownerId_createdAt_idx" ON "Drawing"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "Drawing_guildId_createdAt_idx" ON "Drawing"("guildId", "createdAt");

-- CreateIndex
CREATE INDEX "Take_panelId_chosen_idx" ON "Take"("panelId", "chosen");

-- CreateIndex
CREATE UNIQUE INDEX "Take_drawingId_index_key" ON "Take"("drawingId", "index");
