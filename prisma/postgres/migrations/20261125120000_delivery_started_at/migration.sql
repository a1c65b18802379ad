-- AlterTable
ALTER TABLE "Panel" ADD COLUMN "deliveryStartedAt" TIMESTAMP(3);
