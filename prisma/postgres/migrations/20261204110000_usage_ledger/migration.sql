-- AlterTable
ALTER TABLE "GuildSettings" ADD COLUMN     "serverDailyBuzz" INTEGER,
ADD COLUMN     "userDailyBuzz" INTEGER;

-- CreateTable
CREATE TABLE "UsageEntry" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "guildId" TEXT,
    "kind" TEXT NOT NULL,
    "drawingId" TEXT,
    "paidBy" TEXT NOT NULL DEFAULT 'bot',
    "buzzEstimated" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "buzzActual" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UsageEntry_drawingId_key" ON "UsageEntry"("drawingId");

-- CreateIndex
CREATE INDEX "UsageEntry_userId_createdAt_idx" ON "UsageEntry"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "UsageEntry_guildId_createdAt_idx" ON "UsageEntry"("guildId", "createdAt");

-- Carry what was drawn before the ledger existed: one entry per drawing still stored (its id as the
-- entry's), and one per recorded spend whose drawing is already gone (deleted panels and projects),
-- so that today's limits and /comic usage go on counting them.
INSERT INTO "UsageEntry" ("id", "userId", "guildId", "kind", "drawingId", "paidBy", "buzzEstimated", "buzzActual", "createdAt")
SELECT d."id", d."ownerId", d."guildId",
    CASE
        WHEN p."storyId" IS NOT NULL THEN 'story-panel'
        WHEN EXISTS (SELECT 1 FROM "Drawing" e WHERE e."panelId" = d."panelId" AND (e."createdAt" < d."createdAt" OR (e."createdAt" = d."createdAt" AND e."id" < d."id"))) THEN 'redraw'
        ELSE 'panel'
    END,
    d."id", d."paidBy", COALESCE(d."cost", 10 * p."takeCount"),
    CASE WHEN d."status" IN ('ready', 'failed') THEN COALESCE(d."cost", 0) ELSE NULL END,
    d."createdAt"
FROM "Drawing" d JOIN "Panel" p ON p."id" = d."panelId";

INSERT INTO "UsageEntry" ("id", "userId", "guildId", "kind", "drawingId", "paidBy", "buzzEstimated", "buzzActual", "createdAt")
SELECT s."id", s."userId", s."guildId", 'panel', NULL, s."paidBy", s."buzz", s."buzz", s."createdAt"
FROM "Spend" s
WHERE NOT EXISTS (SELECT 1 FROM "Drawing" d WHERE d."workflowId" = s."workflowId");
