-- AlterTable
ALTER TABLE "Panel" ADD COLUMN "deliveryStartedAt" DATETIME;
