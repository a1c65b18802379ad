-- CreateTable
CREATE TABLE "InboxEntry" (
    "interactionId" TEXT NOT NULL PRIMARY KEY,
    "applicationId" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "InboxEntry_receivedAt_idx" ON "InboxEntry"("receivedAt");
