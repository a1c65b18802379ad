-- AlterTable
ALTER TABLE "Drawing" ADD COLUMN "changeInstruction" TEXT;
ALTER TABLE "Drawing" ADD COLUMN "changeTakeId" TEXT;
