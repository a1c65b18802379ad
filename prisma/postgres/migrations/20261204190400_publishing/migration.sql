-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "reading" TEXT NOT NULL DEFAULT 'ltr';

-- CreateTable
CREATE TABLE "PublishedPost" (
    "id" TEXT NOT NULL,
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
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishingUntil" TIMESTAMP(3),
    "starterText" TEXT NOT NULL DEFAULT '',
    "activityNote" TEXT,
    "activityShownAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMP(3),
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "PublishedPost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PublishedMessage" (
    "postId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "pages" TEXT NOT NULL,

    CONSTRAINT "PublishedMessage_pkey" PRIMARY KEY ("postId","position")
);

-- CreateIndex
CREATE INDEX "PublishedPost_dueAt_idx" ON "PublishedPost"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "PublishedPost_projectId_channelId_part_key" ON "PublishedPost"("projectId", "channelId", "part");

-- AddForeignKey
ALTER TABLE "PublishedPost" ADD CONSTRAINT "PublishedPost_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublishedMessage" ADD CONSTRAINT "PublishedMessage_postId_fkey" FOREIGN KEY ("postId") REFERENCES "PublishedPost"("id") ON DELETE CASCADE ON UPDATE CASCADE;
