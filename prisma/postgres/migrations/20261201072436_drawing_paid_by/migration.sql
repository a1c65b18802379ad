-- AlterTable
ALTER TABLE "Drawing" ADD COLUMN     "paidBy" TEXT NOT NULL DEFAULT 'bot';
