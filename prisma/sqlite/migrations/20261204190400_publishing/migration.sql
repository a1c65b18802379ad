-- AlterTable
ALTER TABLE "Project" ADD COLUMN "reading" TEXT NOT NULL DEFAULT 'ltr';

-- CreateTable
CREATE TABLE "PublishedPost" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadId" TEXT,
    "kind" TEXT NOT NULL,
    "starterMessageId" TEXT,
    "part" TEXT NOT NULL,
    "fromPanel" INTEGER,
    "toPanel" INTEGER,
    "title" TEXT NOT NULL,
    "appliedTags" JSONB,
    "ageRestricted" BOOLEAN NOT NULL DEFAULT false,
    "publishedBy" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishingUntil" DATETIME,
    "starterText" TEXT NOT NULL DEFAULT '',
    "activityNote" TEXT,
    "activityShownAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" DATETIME,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    CONSTRAINT "PublishedPost_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PublishedMessage" (
    "postId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "pages" TEXT NOT NULL,

    PRIMARY KEY ("postId", "position"),
    CONSTRAINT "PublishedMessage_postId_fkey" FOREIGN KEY ("postId") REFERENCES "PublishedPost" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "PublishedPost_dueAt_idx" ON "PublishedPost"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "PublishedPost_projectId_channelId_part_key" ON "PublishedPost"("projectId", "channelId", "part");
