-- A drawing's status is a drawing's, not a panel's (docs/decisions/023-drawings-module.md): the enum is
-- renamed. SQLite stores enums as TEXT, so nothing changes in the database; this migration keeps the two
-- providers' migration folders in step.
SELECT 1;
