-- AlterTable
ALTER TABLE "Character" ADD COLUMN     "description" TEXT,
ADD COLUMN     "lora" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Drawing" ADD COLUMN     "confirmAskedAt" TIMESTAMP(3),
ADD COLUMN     "confirmedAt" TIMESTAMP(3),
ADD COLUMN     "engine" TEXT,
ADD COLUMN     "estimatedBuzz" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "GuildSettings" ADD COLUMN     "confirmAbove" INTEGER;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "engine" TEXT NOT NULL DEFAULT 'auto';

-- CreateTable
CREATE TABLE "CharacterPicture" (
    "id" TEXT NOT NULL,
    "characterId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "thumbnail" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "blobId" TEXT,
    "blobUrl" TEXT,
    "blobUrlExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CharacterPicture_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CharacterPicture_characterId_position_key" ON "CharacterPicture"("characterId", "position");

-- AddForeignKey
ALTER TABLE "CharacterPicture" ADD CONSTRAINT "CharacterPicture_characterId_fkey" FOREIGN KEY ("characterId") REFERENCES "Character"("id") ON DELETE CASCADE ON UPDATE CASCADE;
