-- AlterTable (written by hand: SQLite adds columns with defaults in place, without copying the table)
ALTER TABLE "Take" ADD COLUMN "mature" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Take" ADD COLUMN "width" INTEGER;
ALTER TABLE "Take" ADD COLUMN "height" INTEGER;

-- AlterTable
ALTER TABLE "UserSlot" ADD COLUMN "rerenderAt" DATETIME;

-- Existing takes carry no rating: a picture drawn where mature content was allowed, or with a mature
-- model, may be mature, so it is shown only in age-restricted channels from now on.
UPDATE "Take" SET "mature" = 1
WHERE "panelId" IN (
    SELECT p."id" FROM "Panel" p
    WHERE p."allowMature" = 1
       OR EXISTS (SELECT 1 FROM "Character" c WHERE c."id" = p."characterId" AND c."nsfw" = 1)
       OR EXISTS (SELECT 1 FROM "PanelCharacter" pc JOIN "Character" c ON c."id" = pc."characterId" WHERE pc."panelId" = p."id" AND c."nsfw" = 1)
);
