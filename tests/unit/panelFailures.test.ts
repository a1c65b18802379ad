import { expect, test } from 'vitest';
import type { WorkflowImage } from '../../src/civitai/orchestrator.ts';
import { CONFIGURATION, OFFLINE, OVERLOADED, submissionRefusal, unavailableReason, workflowEndReason } from '../../src/comic/generation/failures.ts';
import { retryOrFail } from '../../src/comic/generation/outcome.ts';
import { BLOCKED, WITHHELD, withheldReason } from '../../src/comic/takes/safety.ts';
import { planRetry } from '../../src/jobs/outcome.ts';
import { HttpError } from '../../src/net/httpError.ts';

const orchestratorError = (status: number, body?: unknown, retryAfterMs?: number) =>
	new HttpError('Orchestrator', 'POST', 'https://orchestration.civitai.com/v2/consumer/workflows', status, undefined, body, { retryAfterMs });

test("a 400 names each invalid field by its last path segment, with the API's message", () => {
	const text = submissionRefusal(
		orchestratorError(400, {
			title: 'One or more validation errors occurred.',
			errors: { 'steps[0].input.prompt': ['Too long.'], 'steps[0].input.width': ['Must be a multiple of 8.'] },
		}),
	);
	expect(text).toContain('prompt: Too long.; width: Must be a multiple of 8.');
	expect(text).not.toContain('steps[0]');
});

test("a 400 without field errors falls back to the problem's detail", () => {
	expect(submissionRefusal(orchestratorError(400, { title: 'Bad Request', detail: 'The model is not available.' }))).toContain('The model is not available.');
});

test('a 401 is a configuration problem for the user; 403 always mentions Buzz unless it is about mature content', () => {
	expect(submissionRefusal(orchestratorError(401))).toBe(CONFIGURATION);
	expect(submissionRefusal(orchestratorError(403, { title: 'Forbidden', detail: 'Insufficient buzz' }))).toContain('Buzz');
	expect(submissionRefusal(orchestratorError(403))).toContain('Buzz');
	expect(submissionRefusal(orchestratorError(403, { detail: 'Spend cap reached for this key.' }))).toContain('Buzz');
	expect(submissionRefusal(orchestratorError(403, { detail: 'Mature content is not allowed.' }))).toContain('mature content');
});

test('429, 5xx and timeouts are not refusals: they are tried again, then told as overloaded or offline', () => {
	for (const status of [0, 429, 500, 502, 503]) expect(submissionRefusal(orchestratorError(status))).toBeUndefined();
	expect(unavailableReason(orchestratorError(429))).toBe(OVERLOADED);
	expect(unavailableReason(orchestratorError(503))).toBe(OFFLINE);
	expect(unavailableReason(orchestratorError(0))).toBe(OFFLINE);
});

test('each way a workflow ends says which, and that the Buzz is refunded', () => {
	expect(workflowEndReason('failed', 'Out of memory')).toMatch(/^Generation failed.*\(Out of memory\).*refunded/);
	expect(workflowEndReason('expired')).toMatch(/^Generation expired.*refunded/);
	expect(workflowEndReason('canceled')).toMatch(/^Generation canceled.*refunded/);
});

const image = (fields: Partial<WorkflowImage>): WorkflowImage => ({ id: 'blob_1', url: 'https://example.com/i.png', ...fields });

test('outside age-restricted channels only PG and PG-13 images are posted', () => {
	for (const level of ['pg', 'pg13', 'PG13']) expect(withheldReason(image({ nsfwLevel: level }), false)).toBeUndefined();
	for (const level of ['r', 'x', 'xxx', 'X']) expect(withheldReason(image({ nsfwLevel: level }), false)).toBe(WITHHELD);
	expect(withheldReason(image({}), false)).toBeUndefined();
});

test('age-restricted channels post every rating, but a blocked image is posted nowhere', () => {
	for (const level of ['pg', 'r', 'x', 'xxx']) expect(withheldReason(image({ nsfwLevel: level }), true)).toBeUndefined();
	expect(withheldReason(image({ nsfwLevel: 'pg', blockedReason: 'Moderation' }), true)).toBe(BLOCKED);
	expect(withheldReason(image({ blockedReason: 'Moderation' }), false)).toBe(BLOCKED);
});

const policy = { attempts: 4, baseMs: 1_000, capMs: 30_000 };

/** The retry the step asks for, planned by the job runner's rule at `now` after `errorCount` failures. */
const planned = (errorCount: number, now: number, error: unknown, finalReason: string) =>
	planRetry(retryOrFail(error, finalReason).retry, errorCount, policy, now);

test('a passing error is tried again after a backoff with jitter that grows with each attempt', () => {
	for (const [errorCount, low, high] of [
		[0, 500, 1_000],
		[1, 1_000, 2_000],
		[2, 2_000, 4_000],
	] as const) {
		const { outcome, retried } = planned(errorCount, 0, orchestratorError(503), 'gave up');
		// The runner counts the retry in errorCount; the step itself changes nothing else.
		expect(retried).toBe(true);
		expect(outcome.update ?? {}).toEqual({});
		expect(outcome.next).toBeGreaterThanOrEqual(low);
		expect(outcome.next).toBeLessThanOrEqual(high);
	}
});

test('Retry-After is honoured when it asks for longer than the backoff', () => {
	const now = Date.now();
	const error = orchestratorError(429, undefined, 7_000);
	expect(error.retryAt).toBeGreaterThanOrEqual(now + 7_000);
	expect(planned(0, now, error, 'gave up').outcome.next).toBe(error.retryAt);
});

test('after the last attempt the panel fails with the reason given', () => {
	const { outcome, retried } = planned(3, 0, orchestratorError(503), 'the generator is offline');
	expect(retried).toBe(false);
	expect(outcome.update).toMatchObject({ status: 'failed', failureReason: 'the generator is offline' });
});
