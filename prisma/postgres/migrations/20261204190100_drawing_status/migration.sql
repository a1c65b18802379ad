-- A drawing's status is a drawing's, not a panel's (docs/decisions/023-drawings-module.md): the enum is
-- renamed in place. Prisma's diff would drop "Drawing"."status" and add it again, losing every row's
-- status; a rename keeps the column, its values, its default and the indexes on it.
ALTER TYPE "PanelStatus" RENAME TO "DrawingStatus";
