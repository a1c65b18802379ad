-- AlterTable
ALTER TABLE "Take" ADD COLUMN     "height" INTEGER,
ADD COLUMN     "mature" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "width" INTEGER;

-- AlterTable
ALTER TABLE "UserSlot" ADD COLUMN     "rerenderAt" TIMESTAMP(3);

-- Existing takes carry no rating: a picture drawn where mature content was allowed, or with a mature
-- model, may be mature, so it is shown only in age-restricted channels from now on.
UPDATE "Take" SET "mature" = true
WHERE "panelId" IN (
    SELECT p."id" FROM "Panel" p
    WHERE p."allowMature" = true
       OR EXISTS (SELECT 1 FROM "Character" c WHERE c."id" = p."characterId" AND c."nsfw" = true)
       OR EXISTS (SELECT 1 FROM "PanelCharacter" pc JOIN "Character" c ON c."id" = pc."characterId" WHERE pc."panelId" = p."id" AND c."nsfw" = true)
);
