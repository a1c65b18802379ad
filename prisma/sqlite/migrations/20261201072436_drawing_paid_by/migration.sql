-- AlterTable (written by hand: SQLite adds a NOT NULL column with a default in place; no table copy,
-- so the takes that reference drawings are never touched)
ALTER TABLE "Drawing" ADD COLUMN "paidBy" TEXT NOT NULL DEFAULT 'bot';
