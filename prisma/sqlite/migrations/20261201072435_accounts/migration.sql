-- CreateTable
CREATE TABLE "UserKey" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "ciphertext" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "keyVersion" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME
);

-- CreateTable
CREATE TABLE "GuildSettings" (
    "guildId" TEXT NOT NULL PRIMARY KEY,
    "sharedKey" BOOLEAN NOT NULL DEFAULT true,
    "serverDailyLimit" INTEGER,
    "userDailyLimit" INTEGER,
    "enhanceDefault" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Spend" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "panelId" TEXT NOT NULL,
    "workflowId" TEXT,
    "userId" TEXT NOT NULL,
    "guildId" TEXT,
    "buzz" REAL NOT NULL,
    "paidBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Spend_workflowId_key" ON "Spend"("workflowId");

-- CreateIndex
CREATE INDEX "Spend_userId_createdAt_idx" ON "Spend"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Spend_guildId_createdAt_idx" ON "Spend"("guildId", "createdAt");
