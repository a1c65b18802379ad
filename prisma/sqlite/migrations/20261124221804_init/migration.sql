-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Character" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Character_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Panel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "characterId" TEXT,
    "number" INTEGER NOT NULL,
    "ownerId" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "finalPrompt" TEXT,
    "enhance" BOOLEAN NOT NULL,
    "enhanceNote" TEXT,
    "allowMature" BOOLEAN NOT NULL DEFAULT false,
    "params" JSONB,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "workflowId" TEXT,
    "failureReason" TEXT,
    "imagePath" TEXT,
    "imageMime" TEXT,
    "imageSize" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" DATETIME,
    "completedAt" DATETIME,
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
    "nextCheckAt" DATETIME,
    "checks" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    CONSTRAINT "Panel_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Panel_characterId_fkey" FOREIGN KEY ("characterId") REFERENCES "Character" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Project_ownerId_nameKey_key" ON "Project"("ownerId", "nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "Character_projectId_nameKey_key" ON "Character"("projectId", "nameKey");

-- CreateIndex
CREATE INDEX "Panel_nextCheckAt_idx" ON "Panel"("nextCheckAt");

-- CreateIndex
CREATE INDEX "Panel_ownerId_createdAt_idx" ON "Panel"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "Panel_guildId_createdAt_idx" ON "Panel"("guildId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Panel_projectId_number_key" ON "Panel"("projectId", "number");
