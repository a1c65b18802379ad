// The shape a statement is counted under on /metrics (src/db/statementShape.ts): the same for both
// databases' SQL, free of values and list lengths, naming what is written and what is filtered on.
import { expect, test } from 'vitest';
import { statementShape } from '../../src/db/statementShape.ts';

test('a read is named by its table and the columns it filters on, the same in both dialects', () => {
	const postgres =
		'SELECT "public"."Drawing"."id", "public"."Drawing"."status" FROM "public"."Drawing" WHERE ("public"."Drawing"."id" = $1 AND "public"."Drawing"."leaseOwner" = $2) LIMIT $3 OFFSET $4';
	const sqlite =
		'SELECT `main`.`Drawing`.`id`, `main`.`Drawing`.`status` FROM `main`.`Drawing` WHERE (`main`.`Drawing`.`id` = ? AND `main`.`Drawing`.`leaseOwner` = ?) LIMIT ? OFFSET ?';
	expect(statementShape(postgres)).toBe('SELECT Drawing WHERE id,leaseOwner');
	expect(statementShape(sqlite)).toBe('SELECT Drawing WHERE id,leaseOwner');
});

test('an update names the columns it sets and filters on; lists of any length give one shape', () => {
	const one =
		'UPDATE "public"."Drawing" SET "leaseOwner" = $1, "leaseUntil" = $2 WHERE ("public"."Drawing"."id" IN ($3) AND "public"."Drawing"."dueAt" <= $4) RETURNING "id"';
	const three =
		'UPDATE "public"."Drawing" SET "leaseOwner" = $1, "leaseUntil" = $2 WHERE ("public"."Drawing"."id" IN ($3,$4,$5) AND "public"."Drawing"."dueAt" <= $6) RETURNING "id"';
	expect(statementShape(one)).toBe('UPDATE Drawing SET leaseOwner,leaseUntil WHERE id,dueAt');
	expect(statementShape(three)).toBe(statementShape(one));
});

test('counts, sums, upserts, deletes and the rest are told apart', () => {
	expect(
		statementShape('SELECT COUNT(*) AS `_count$_all` FROM (SELECT `main`.`Drawing`.`id` FROM `main`.`Drawing` WHERE `main`.`Drawing`.`status` = ?) AS `sub`'),
	).toBe('SELECT Drawing (count) WHERE status');
	expect(
		statementShape(
			'SELECT SUM(`cost`) AS `_sum$cost` FROM (SELECT `main`.`Drawing`.`cost` FROM `main`.`Drawing` WHERE `main`.`Drawing`.`panelId` = ?) AS `sub`',
		),
	).toBe('SELECT Drawing (sum) WHERE panelId');
	expect(
		statementShape('INSERT INTO "UserSlot" ("userId", "updatedAt") VALUES ($1, $2) ON CONFLICT ("userId") DO UPDATE SET "updatedAt" = excluded."updatedAt"'),
	).toBe('INSERT UserSlot (upsert)');
	expect(statementShape('DELETE FROM "public"."InboxEntry" WHERE "public"."InboxEntry"."interactionId" IN ($1,$2)')).toBe(
		'DELETE InboxEntry WHERE interactionId',
	);
	expect(statementShape('COMMIT')).toBe('COMMIT');
	// A statement written by hand that reads several tables names itself in a leading comment.
	expect(statementShape('/* admission */ SELECT (SELECT COUNT(*) FROM "UserKey" WHERE "userId" = $1) AS "keys"')).toBe('SELECT (admission)');
	expect(statementShape('')).toBe('?');
});
