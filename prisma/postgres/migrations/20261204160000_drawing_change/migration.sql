-- AlterTable
ALTER TABLE "Drawing" ADD COLUMN     "changeInstruction" TEXT,
ADD COLUMN     "changeTakeId" TEXT;
