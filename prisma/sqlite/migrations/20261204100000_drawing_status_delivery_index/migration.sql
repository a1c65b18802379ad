-- CreateIndex
CREATE INDEX "Drawing_status_delivery_idx" ON "Drawing"("status", "delivery");
