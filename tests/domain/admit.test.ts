// The one admission of every drawing (src/comic/drawings/admit.ts) on a real database without Discord:
// what it stores (drawings leased or waiting, their ledger rows with the reservation), what it promotes,
// and that a refusal at any point (limits under the turn, a way of drawing's own content) stores nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Admission, admit } from '../../src/comic/drawings/admit.ts';
import { UserFacingError } from '../../src/comic/errors.ts';
import { type Database, openDatabase, type Tx } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
let projectId: string;
let nextNumber = 1;
const NOW = Date.parse('2026-12-04T12:00:00Z');
const message = {
	applicationId: '500',
	interactionId: '600',
	interactionToken: 'token',
	interactionCreatedAt: new Date(NOW),
	channelId: '300',
	messageId: null,
};
const lease = { owner: 'host:1:test/claim', until: new Date(NOW + 60_000) };

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-admit-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir });
	projectId = (await database.db.project.create({ data: { ownerId: 'owner', name: 'Admit', nameKey: 'admit' } })).id;
});

afterAll(async () => {
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

/** A way of drawing for the test: `count` new panels of `ownerId`, each reserving `buzz`; `refuse` makes its content refuse. */
function panels(ownerId: string, count: number, buzz: number, refuse?: string): Admission<string[]> & { stored: number } {
	const admission = {
		stored: 0,
		ownerId,
		kind: 'panel' as const,
		reserve: () => ({ guildId: 'g-admit', buzz: Array.from({ length: count }, () => buzz) }),
		async store(tx: Tx) {
			admission.stored++;
			const ids: string[] = [];
			for (let index = 0; index < count; index++) {
				const panel = await tx.panel.create({ data: { projectId, number: nextNumber++, ownerId, prompt: `p${index}`, enhance: false } });
				ids.push(panel.id);
			}
			if (refuse) throw new UserFacingError(refuse);
			return { drawings: ids.map((panelId, index) => ({ panelId, prompt: `p${index}` })), content: ids };
		},
	};
	return admission;
}

async function refusal(promise: Promise<unknown>): Promise<UserFacingError> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	if (!(error instanceof UserFacingError)) throw new Error(`expected a refusal, got ${String(error)}`);
	return error;
}

async function counts(ownerId: string) {
	const db = database.db;
	return {
		panels: await db.panel.count({ where: { ownerId } }),
		drawings: await db.drawing.count({ where: { ownerId } }),
		ledger: await db.usageEntry.count({ where: { userId: ownerId } }),
	};
}

test('with a free slot the drawing is leased to the caller and due now; over the limit the next waits; each has its ledger row and reservation', async () => {
	const limits = { inFlightPerUser: 1, perUserPerDay: 10 };
	const first = await admit(database.db, limits, panels('u-slot', 1, 104), message, lease, NOW);
	expect(first.placement).toEqual({ status: 'queued', ahead: 0 });
	expect(first.promoted).toEqual([]);
	expect(first.drawings).toHaveLength(1);
	const [leased] = first.drawings;
	expect(leased).toMatchObject({ status: 'queued', leaseOwner: lease.owner, ownerId: 'u-slot', guildId: 'g-admit', paidBy: 'bot', prompt: 'p0' });
	expect(leased?.dueAt?.getTime()).toBe(NOW);

	const second = await admit(database.db, limits, panels('u-slot', 1, 10), message, lease, NOW + 1);
	expect(second.placement).toEqual({ status: 'waiting', ahead: 0 });
	expect(second.drawings[0]).toMatchObject({ status: 'waiting', leaseOwner: null, dueAt: null });

	const rows = await database.db.usageEntry.findMany({ where: { userId: 'u-slot' }, orderBy: { createdAt: 'asc' } });
	expect(rows.map((row) => [row.drawingId, row.kind, row.buzzEstimated, row.guildId])).toEqual([
		[leased?.id, 'panel', 104, 'g-admit'],
		[second.drawings[0]?.id, 'panel', 10, 'g-admit'],
	]);
});

test('without a lease every drawing waits, a millisecond apart in order, and the free slots are filled at once', async () => {
	const limits = { inFlightPerUser: 2, perUserPerDay: 10 };
	let after = 0;
	const admission = { ...panels('u-story', 3, 20), after: async () => void after++ };
	const admitted = await admit(database.db, limits, admission, message, null, NOW);
	expect(after).toBe(1);
	const ids = admitted.drawings.map((drawing) => drawing.id);
	expect(admitted.drawings.map((drawing) => drawing.createdAt.getTime())).toEqual([NOW, NOW + 1, NOW + 2]);
	// The two oldest took the free slots; the third waits.
	expect(admitted.promoted).toEqual(ids.slice(0, 2));
	const stored = await database.db.drawing.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: 'asc' } });
	expect(stored.map((drawing) => drawing.status)).toEqual(['queued', 'queued', 'waiting']);
	expect(stored.every((drawing) => drawing.leaseOwner === null)).toBe(true);
	expect(await counts('u-story')).toEqual({ panels: 3, drawings: 3, ledger: 3 });
});

test('a refusal stores nothing: the limits under the turn before any content, the content of a way of drawing after', async () => {
	const limits = { inFlightPerUser: 2, perUserPerDay: 2 };
	await admit(database.db, limits, panels('u-refused', 2, 10), message, null, NOW);
	expect(await counts('u-refused')).toEqual({ panels: 2, drawings: 2, ledger: 2 });

	// The daily limit is checked under the user's turn, before the way of drawing stores anything.
	const over = panels('u-refused', 1, 10);
	expect((await refusal(admit(database.db, limits, over, message, lease, NOW + 10))).message).toContain('daily limit');
	expect(over.stored).toBe(0);

	// A refusal of the content itself (a panel deleted meanwhile, a mature character) rolls back what it began.
	const roomy = { inFlightPerUser: 2, perUserPerDay: 10 };
	const stale = panels('u-refused', 2, 10, 'This panel no longer exists.');
	expect((await refusal(admit(database.db, roomy, stale, message, lease, NOW + 20))).message).toBe('This panel no longer exists.');
	expect(stale.stored).toBe(1);
	expect(await counts('u-refused')).toEqual({ panels: 2, drawings: 2, ledger: 2 });
});
