import { expect, test } from 'vitest';
import { AckGate } from '../../src/discord/ackGate.ts';

const settled = async (promise: Promise<unknown>, withinMs: number): Promise<boolean> =>
	Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), withinMs))]);

test('work waiting for quiet starts once every interaction is acknowledged', async () => {
	const gate = new AckGate();
	expect(await settled(gate.quiet(5_000), 5)).toBe(true);

	gate.arrive('a');
	gate.arrive('b');
	const waiting = gate.quiet(5_000);
	gate.acknowledged('a');
	expect(await settled(waiting, 5)).toBe(false);
	gate.acknowledged('b');
	expect(await settled(waiting, 2_000)).toBe(true);
});

test('work waiting for quiet is never starved: it starts after its bound', async () => {
	const gate = new AckGate();
	gate.arrive('never answered');
	expect(await settled(gate.quiet(30), 10)).toBe(false);
	expect(await settled(gate.quiet(30), 2_000)).toBe(true);
});

test('more than CROWD interactions waiting is a burst, which ends the wait of crowdedOrLate', async () => {
	const gate = new AckGate();
	const hurry = gate.crowdedOrLate(5_000);
	for (let index = 0; index < AckGate.CROWD; index++) gate.arrive(`i${index}`);
	expect(gate.crowded()).toBe(false);
	expect(await settled(hurry.reached, 5)).toBe(false);
	gate.arrive('one more');
	expect(gate.crowded()).toBe(true);
	expect(await settled(hurry.reached, 5)).toBe(true);
	hurry.done();
	// Already crowded: no wait at all.
	expect(await settled(gate.crowdedOrLate(5_000).reached, 5)).toBe(true);
});

test('crowdedOrLate also ends after its bound, or at once when done', async () => {
	const gate = new AckGate();
	const late = gate.crowdedOrLate(20);
	expect(await settled(late.reached, 2_000)).toBe(true);
	const stopped = gate.crowdedOrLate(5_000);
	stopped.done();
	expect(await settled(stopped.reached, 5)).toBe(true);
});

test('an acknowledgement through a watched interaction waits for the interaction to be stored, and counts it answered', async () => {
	const gate = new AckGate();
	const events: string[] = [];
	let store: () => void = () => undefined;
	const stored = new Promise<void>((resolve) => {
		store = () => {
			events.push('stored');
			resolve();
		};
	});
	const interaction = {
		id: 'i',
		async deferReply(options: { ephemeral: boolean }) {
			events.push(`deferred ${options.ephemeral}`);
			return 'answer';
		},
	};
	gate.arrive('i');
	gate.watch(interaction, stored);
	const answered = interaction.deferReply({ ephemeral: false });
	// Called before the row is stored: the call waits for it, and the interaction still counts as waiting.
	events.push('called');
	expect(gate.crowded()).toBe(false);
	const quiet = gate.quiet(5_000);
	store();
	expect(await answered).toBe('answer');
	expect(events).toEqual(['called', 'stored', 'deferred false']);
	expect(await settled(quiet, 2_000)).toBe(true);
});
