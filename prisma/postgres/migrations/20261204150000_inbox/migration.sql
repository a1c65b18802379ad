-- CreateTable
CREATE TABLE "InboxEntry" (
    "interactionId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboxEntry_pkey" PRIMARY KEY ("interactionId")
);

-- CreateIndex
CREATE INDEX "InboxEntry_receivedAt_idx" ON "InboxEntry"("receivedAt");
