-- CreateEnum
CREATE TYPE "PanelStatus" AS ENUM ('queued', 'generating', 'ready', 'failed');

-- CreateEnum
CREATE TYPE "DeliveryState" AS ENUM ('pending', 'delivered', 'undelivered');

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Character" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Character_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Panel" (
    "id" TEXT NOT NULL,
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
    "status" "PanelStatus" NOT NULL DEFAULT 'queued',
    "workflowId" TEXT,
    "failureReason" TEXT,
    "imagePath" TEXT,
    "imageMime" TEXT,
    "imageSize" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "applicationId" TEXT NOT NULL,
    "interactionId" TEXT NOT NULL,
    "interactionToken" TEXT NOT NULL,
    "interactionCreatedAt" TIMESTAMP(3) NOT NULL,
    "channelId" TEXT NOT NULL,
    "guildId" TEXT,
    "messageId" TEXT,
    "delivery" "DeliveryState" NOT NULL DEFAULT 'pending',
    "deliveredAt" TIMESTAMP(3),
    "deliveryError" TEXT,
    "tokenDead" BOOLEAN NOT NULL DEFAULT false,
    "nextCheckAt" TIMESTAMP(3),
    "checks" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "Panel_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Character" ADD CONSTRAINT "Character_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Panel" ADD CONSTRAINT "Panel_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Panel" ADD CONSTRAINT "Panel_characterId_fkey" FOREIGN KEY ("characterId") REFERENCES "Character"("id") ON DELETE SET NULL ON UPDATE CASCADE;
