import { expect, test } from 'vitest';
import type { DeliveryResult, PanelMessenger, DrawingView } from '../../src/comic/generation/deps.ts';
import { PROGRESS_MAX_EDITS, progressEdit, progressText } from '../../src/comic/generation/progress.ts';
import type { Workflow } from '../../src/civitai/orchestrator.ts';
import { createProgressLane } from '../../src/discord/progressLane.ts';

const NOW = Date.parse('2026-12-01T10:00:00Z');

function workflow(status: Workflow['status'], precedingJobs: number | undefined, completeInMs: number | undefined): Workflow {
	const completeAt = completeInMs === undefined ? undefined : new Date(NOW + completeInMs).toISOString();
	return { id: 'wf', status, steps: [{ jobs: [{ status, queuePosition: { precedingJobs, completeAt } }] }] };
}

test('progress says queued with the jobs ahead, or drawing, with a rounded time left', () => {
	expect(progressText(workflow('scheduled', 3, 95_000), NOW)).toBe('queued, 3 ahead · done in about 2 min');
	expect(progressText(workflow('scheduled', 0, undefined), NOW)).toBe('queued, next in line');
	expect(progressText(workflow('processing', undefined, 34_000), NOW)).toBe('drawing · about 30 s left');
	expect(progressText(workflow('processing', undefined, 2_000), NOW)).toBe('drawing · a few seconds left');
	expect(progressText(workflow('processing', undefined, undefined), NOW)).toBe('drawing');
});

test('a progress edit only when the text changed, 10 s after the last, and at most six', () => {
	const shown = { progressText: 'queued, 3 ahead', progressShownAt: new Date(NOW - 10_000), progressEdits: 1 };
	expect(progressEdit(shown, 'queued, 3 ahead', NOW)).toBeUndefined();
	expect(progressEdit({ ...shown, progressShownAt: new Date(NOW - 9_999) }, 'queued, 2 ahead', NOW)).toBeUndefined();
	expect(progressEdit({ ...shown, progressEdits: PROGRESS_MAX_EDITS }, 'queued, 2 ahead', NOW)).toBeUndefined();
	expect(progressEdit(shown, 'queued, 2 ahead', NOW)).toEqual({ progressText: 'queued, 2 ahead', progressShownAt: new Date(NOW), progressEdits: 2 });
});

test('the progress lane drops edits beyond its width and while Discord rate-limits, never queues them', async () => {
	let release: () => void = () => undefined;
	const gate = new Promise<void>((resolve) => {
		release = resolve;
	});
	let calls = 0;
	const inner: PanelMessenger = async () => {
		calls++;
		await gate;
		return { ok: true, messageId: 'm', tokenDead: false };
	};
	let now = NOW;
	const lane = createProgressLane(inner, { maxInFlight: 2, now: () => now });
	const panel = {} as DrawingView;
	const results: Promise<DeliveryResult>[] = [1, 2, 3, 4].map(() => lane.messenger(panel));
	release();
	const settled = await Promise.all(results);
	expect(calls).toBe(2);
	expect(settled.filter((result) => result.ok)).toHaveLength(2);
	expect(lane.dropped()).toBe(2);

	lane.pauseUntil(NOW + 5_000);
	expect((await lane.messenger(panel)).ok).toBe(false);
	now = NOW + 5_001;
	expect((await lane.messenger(panel)).ok).toBe(true);
	expect(calls).toBe(3);
});
