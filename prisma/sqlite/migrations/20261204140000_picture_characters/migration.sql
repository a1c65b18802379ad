-- CreateTable
CREATE TABLE "CharacterPicture" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "characterId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "data" BLOB NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "thumbnail" BLOB NOT NULL,
    "sha256" TEXT NOT NULL,
    "blobId" TEXT,
    "blobUrl" TEXT,
    "blobUrlExpiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CharacterPicture_characterId_fkey" FOREIGN KEY ("characterId") REFERENCES "Character" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable: columns with constant defaults (or NULL) are added in place, with no table
-- redefinition, so no DROP TABLE can cascade and every existing row keeps its data.
ALTER TABLE "Character" ADD COLUMN "description" TEXT;
ALTER TABLE "Character" ADD COLUMN "lora" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Drawing" ADD COLUMN "confirmAskedAt" DATETIME;
ALTER TABLE "Drawing" ADD COLUMN "confirmedAt" DATETIME;
ALTER TABLE "Drawing" ADD COLUMN "engine" TEXT;
ALTER TABLE "Drawing" ADD COLUMN "estimatedBuzz" REAL;
ALTER TABLE "GuildSettings" ADD COLUMN "confirmAbove" INTEGER;
ALTER TABLE "Project" ADD COLUMN "engine" TEXT NOT NULL DEFAULT 'auto';

-- CreateIndex
CREATE UNIQUE INDEX "CharacterPicture_characterId_position_key" ON "CharacterPicture"("characterId", "position");
