import { expect, test } from 'vitest';
import { UploadSlots } from '../../src/comic/engines/references.ts';

/** Work that runs until the test ends it, recording when it started. */
function pending(started: number[], index: number, running: { now: number; most: number }) {
	let finish: (ok: boolean) => void = () => undefined;
	const work = () =>
		new Promise<number>((resolve, reject) => {
			started.push(index);
			running.now++;
			running.most = Math.max(running.most, running.now);
			finish = (ok) => {
				running.now--;
				if (ok) resolve(index);
				else reject(new Error(`upload ${index} failed`));
			};
		});
	return { work, finish: (ok: boolean) => finish(ok) };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('at most the bound run at once; the others start in arrival order as slots free, failed ones included', async () => {
	const bound = 4;
	const slots = new UploadSlots(bound);
	const started: number[] = [];
	const running = { now: 0, most: 0 };
	const uploads = Array.from({ length: 10 }, (_, index) => pending(started, index, running));
	const results = uploads.map((upload) => slots.run(upload.work).catch((error: unknown) => (error instanceof Error ? error.message : 'other')));
	await turn();
	expect(started).toEqual([0, 1, 2, 3]);
	// A failure frees its slot as a success does.
	uploads[2]?.finish(false);
	uploads[0]?.finish(true);
	await turn();
	expect(started).toEqual([0, 1, 2, 3, 4, 5]);
	for (const index of [1, 3, 4, 5, 6, 7, 8, 9]) {
		uploads[index]?.finish(true);
		await turn();
	}
	expect(await Promise.all(results)).toEqual([0, 1, 'upload 2 failed', 3, 4, 5, 6, 7, 8, 9]);
	expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	expect(running.most).toBe(bound);
	// Every slot is free again: as many as the bound start at once.
	const again = Array.from({ length: bound }, (_, index) => pending(started, 10 + index, running));
	const next = again.map((upload) => slots.run(upload.work));
	await turn();
	expect(running.now).toBe(bound);
	for (const upload of again) upload.finish(true);
	await Promise.all(next);
});
