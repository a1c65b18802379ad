-- CreateTable
CREATE TABLE "UserKey" (
    "userId" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "keyVersion" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "UserKey_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "GuildSettings" (
    "guildId" TEXT NOT NULL,
    "sharedKey" BOOLEAN NOT NULL DEFAULT true,
    "serverDailyLimit" INTEGER,
    "userDailyLimit" INTEGER,
    "enhanceDefault" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,

    CONSTRAINT "GuildSettings_pkey" PRIMARY KEY ("guildId")
);

-- CreateTable
CREATE TABLE "Spend" (
    "id" TEXT NOT NULL,
    "panelId" TEXT NOT NULL,
    "workflowId" TEXT,
    "userId" TEXT NOT NULL,
    "guildId" TEXT,
    "buzz" DOUBLE PRECISION NOT NULL,
    "paidBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Spend_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Spend_workflowId_key" ON "Spend"("workflowId");

-- CreateIndex
CREATE INDEX "Spend_userId_createdAt_idx" ON "Spend"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Spend_guildId_createdAt_idx" ON "Spend"("guildId", "createdAt");
