import { expect, test } from 'vitest';
import { RenderSlots, RendersBusy } from '../../src/comic/export/renderSlots.ts';

/** A render that runs until the test lets it finish. */
function held() {
	let finish: () => void = () => undefined;
	const done = new Promise<void>((resolve) => {
		finish = resolve;
	});
	return { work: () => done, finish };
}

test('one more render waits for a slot and runs when one frees, in arrival order', async () => {
	const slots = new RenderSlots(1, 60_000);
	const first = held();
	const running = slots.run(first.work);
	const order: string[] = [];
	const second = slots.run(async () => order.push('second'));
	const third = slots.run(async () => order.push('third'));
	expect(slots.busy).toBe(1);
	first.finish();
	await Promise.all([running, second, third]);
	expect(order).toEqual(['second', 'third']);
	expect(slots.busy).toBe(0);
});

test('with no slot free within the wait, the render is refused with when to try again, and the slot count stays right', async () => {
	const slots = new RenderSlots(1, 0);
	const first = held();
	const running = slots.run(first.work);
	const refused = slots.run(async () => 'never');
	await expect(refused).rejects.toBeInstanceOf(RendersBusy);
	await expect(refused).rejects.toThrow(/try again in \d+ s/i);
	first.finish();
	await running;
	expect(await slots.run(async () => 'ran')).toBe('ran');
	expect(slots.busy).toBe(0);
});

test('a render that throws gives its slot back', async () => {
	const slots = new RenderSlots(1, 0);
	await expect(slots.run(() => Promise.reject(new Error('broken picture')))).rejects.toThrow('broken picture');
	expect(await slots.run(async () => 'next')).toBe('next');
});
