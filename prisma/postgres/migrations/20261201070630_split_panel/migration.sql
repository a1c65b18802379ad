-- CreateTable
CREATE TABLE "Drawing" (
    "id" TEXT NOT NULL,
    "panelId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "PanelStatus" NOT NULL DEFAULT 'queued',
    "finalPrompt" TEXT,
    "enhanceNote" TEXT,
    "params" JSONB,
    "workflowId" TEXT,
    "failureReason" TEXT,
    "submittedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "checks" INTEGER NOT NULL DEFAULT 0,
    "cost" DOUBLE PRECISION,
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
    "deliveryStartedAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3),
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "Drawing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Take" (
    "id" TEXT NOT NULL,
    "drawingId" TEXT NOT NULL,
    "panelId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "workflowId" TEXT NOT NULL,
    "seed" INTEGER,
    "imagePath" TEXT NOT NULL,
    "imageMime" TEXT NOT NULL,
    "imageSize" INTEGER NOT NULL,
    "chosen" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Take_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserSlot" (
    "userId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UserSlot_pkey" PRIMARY KEY ("userId")
);

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

-- AddForeignKey
ALTER TABLE "Drawing" ADD CONSTRAINT "Drawing_panelId_fkey" FOREIGN KEY ("panelId") REFERENCES "Panel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Take" ADD CONSTRAINT "Take_drawingId_fkey" FOREIGN KEY ("drawingId") REFERENCES "Drawing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Take" ADD CONSTRAINT "Take_panelId_fkey" FOREIGN KEY ("panelId") REFERENCES "Panel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

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
SELECT "id", "id", "id", 1, "workflowId", ("params"->>'seed')::INTEGER, "imagePath", COALESCE("imageMime", 'image/png'), COALESCE("imageSize", 0), true,
    COALESCE("completedAt", "createdAt")
FROM "Panel"
WHERE "imagePath" IS NOT NULL AND "workflowId" IS NOT NULL;

-- DropIndex
DROP INDEX "Panel_nextCheckAt_idx";

-- AlterTable
ALTER TABLE "Panel" DROP COLUMN "applicationId",
DROP COLUMN "channelId",
DROP COLUMN "checks",
DROP COLUMN "completedAt",
DROP COLUMN "deliveredAt",
DROP COLUMN "delivery",
DROP COLUMN "deliveryError",
DROP COLUMN "deliveryStartedAt",
DROP COLUMN "enhanceNote",
DROP COLUMN "errorCount",
DROP COLUMN "failureReason",
DROP COLUMN "finalPrompt",
DROP COLUMN "imageMime",
DROP COLUMN "imagePath",
DROP COLUMN "imageSize",
DROP COLUMN "interactionCreatedAt",
DROP COLUMN "interactionId",
DROP COLUMN "interactionToken",
DROP COLUMN "leaseOwner",
DROP COLUMN "leaseUntil",
DROP COLUMN "messageId",
DROP COLUMN "nextCheckAt",
DROP COLUMN "params",
DROP COLUMN "status",
DROP COLUMN "submittedAt",
DROP COLUMN "tokenDead",
DROP COLUMN "workflowId",
ADD COLUMN     "takeCount" INTEGER NOT NULL DEFAULT 1;

