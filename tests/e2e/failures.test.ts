import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pngWithText } from '../fakes/orchestrator.ts';
import { drawPanel, expectNoPings, footerOf, projectWithCharacter, submittedInput, waitForFailure, waitForPanel } from './support/panels.ts';
import { startWorld, type World } from '../world.ts';

// Short timeouts and retries, so that exhausting them takes seconds, not minutes.
let world: World;
beforeAll(async () => {
	world = await startWorld({
		ORCHESTRATOR_RETRY_ATTEMPTS: '2',
		ORCHESTRATOR_RETRY_BASE_MS: '100',
		ORCHESTRATOR_TIMEOUT_SECONDS: '1',
		OPENAI_TIMEOUT_SECONDS: '1',
	});
});
afterAll(async () => {
	await world?.close();
});

const SUBMIT = { method: 'POST', path: /^\/v2\/consumer\/workflows$/ };

function submissionsFor(drawingId: string) {
	return world.orchestrator.requests.filter(
		(request) => request.method === 'POST' && request.path === '/v2/consumer/workflows' && JSON.stringify(request.body).includes(drawingId),
	);
}

test('a workflow that fails, expires or is canceled ends the panel with that reason, and the reply says the Buzz is refunded', async () => {
	const outcomes = ['failed', 'expired', 'canceled'] as const;
	world.orchestrator.behaviour = (body) => ({
		outcome: outcomes.find((outcome) => String(submittedInput(body).prompt).includes(`end ${outcome}`)) ?? 'succeeded',
	});
	try {
		await Promise.all(
			outcomes.map(async (outcome) => {
				const setup = await projectWithCharacter(world);
				const sent = drawPanel(world, setup, `the hero meets their end ${outcome}`);
				const { panel, footer } = await waitForFailure(world, sent.id);
				expect(panel.failureReason).toBe(footer);
				expect(footer).toContain(`Generation ${outcome}`);
				expect(footer).toContain('Buzz');
				expect(footer).toContain('refunded');
				expect(panel.completedAt).not.toBeNull();
			}),
		);
	} finally {
		world.orchestrator.behaviour = () => ({});
	}
});

test('no result after 25 minutes: the workflow is canceled at the orchestrator and the reply says it timed out', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: Infinity });
	try {
		const sent = drawPanel(world, setup, 'the hero waits forever');
		const running = await waitForPanel(world, sent.id, (panel) => panel.status === 'generating');
		// Move the clock of this one panel instead of waiting: it was submitted 26 minutes ago, and is due now.
		// Only while no poller holds it, so that the holder's own update cannot push the check back.
		const db = world.bot.database.db;
		const longAgo = new Date(Date.now() - 26 * 60_000);
		let moved = 0;
		while (moved === 0) {
			({ count: moved } = await db.drawing.updateMany({ where: { id: running.id, leaseOwner: null }, data: { submittedAt: longAgo, dueAt: new Date() } }));
			if (moved === 0) await sleep(20);
		}
		const { panel, footer } = await waitForFailure(world, sent.id);
		expect(world.orchestrator.cancellations).toContain(running.workflowId);
		expect(footer).toContain('timed out');
		expect(panel.failureReason).toBe(footer);
	} finally {
		world.orchestrator.behaviour = () => ({});
	}
});

test('a submission refused as invalid (400) says what was invalid and is not tried again', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.failNext(SUBMIT, {
		status: 400,
		body: {
			type: 'https://httpstatuses.io/400',
			title: 'One or more validation errors occurred.',
			status: 400,
			errors: { 'steps[0].input.prompt': ['The prompt contains a blocked word.'] },
		},
	});
	const sent = drawPanel(world, setup, 'the hero says a blocked word');
	const { panel, footer } = await waitForFailure(world, sent.id);
	expect(footer).toContain('invalid');
	expect(footer).toContain('prompt: The prompt contains a blocked word.');
	expect(submissionsFor(panel.id)).toHaveLength(1);
});

test('a wrong Civitai key (401) is logged for the admin and shown to the user as a configuration problem, never the key itself', async () => {
	const setup = await projectWithCharacter(world);
	const realToken = world.orchestrator.token;
	world.orchestrator.token = 'a-key-the-bot-does-not-have';
	try {
		const sent = drawPanel(world, setup, 'the hero forgets the password');
		const { panel, footer } = await waitForFailure(world, sent.id);
		expect(footer).toContain('configuration problem');
		expect(submissionsFor(panel.id)).toHaveLength(1);
		const adminLine = world.logs.find((line) => line.includes('CIVITAI_API_TOKEN') && line.includes(panel.id));
		expect(adminLine && JSON.parse(adminLine)).toMatchObject({ level: 50, drawingId: panel.id, panelId: panel.panelId });
	} finally {
		world.orchestrator.token = realToken;
	}
	expect(world.logs.join('')).not.toContain(realToken);
	expect(JSON.stringify(world.discord.requests.map((request) => request.json))).not.toContain(realToken);
});

test('not enough Buzz (403) is told in the reply with the word "Buzz"', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.failNext(SUBMIT, {
		status: 403,
		body: { type: 'https://httpstatuses.io/403', title: 'Forbidden', status: 403, detail: 'Insufficient buzz balance.' },
	});
	const sent = drawPanel(world, setup, 'the hero spends everything');
	const { footer } = await waitForFailure(world, sent.id);
	expect(footer).toContain('Buzz');
});

test('a rate-limited submission (429) waits as long as Retry-After asks, then the panel is drawn', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.failNext(SUBMIT, { status: 429, headers: { 'retry-after': '2' } });
	const sent = drawPanel(world, setup, 'the hero waits in line');
	const delivered = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
	const panel = await waitForPanel(world, sent.id, (row) => row.status === 'ready');
	const [first, second, ...more] = submissionsFor(panel.id);
	expect(more).toHaveLength(0);
	expect(first?.status).toBe(429);
	expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1_900);
	expect(delivered.attachments[0]?.data.equals(pngWithText(`workflow ${panel.workflowId}`))).toBe(true);
});

test('a 429 on a workflow read that answers slowly: the next read comes after Retry-After counted from the answer, never early', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: 4_000 });
	const sent = drawPanel(world, setup, 'the hero counts the seconds');
	const running = await waitForPanel(world, sent.id, (row) => row.status === 'generating' && row.leaseOwner === null);
	const read = { method: 'GET', path: new RegExp(`^/v2/consumer/workflows/${running.workflowId}$`) };
	// The refusal takes 600 ms to arrive: a wait counted from when the read was sent would be 600 ms early.
	world.orchestrator.failNext(read, { status: 429, headers: { 'retry-after': '1' }, delayMs: 600 });
	world.orchestrator.refuseEarly = true;
	const early = world.orchestrator.earlyRequests.length;
	try {
		await world.bot.database.db.drawing.updateMany({ where: { id: running.id, leaseOwner: null }, data: { dueAt: new Date() } });
		await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
		expect(world.orchestrator.earlyRequests.slice(early)).toEqual([]);
	} finally {
		world.orchestrator.refuseEarly = false;
	}
});

test('a generator that keeps answering 5xx is tried a bounded number of times, then the reply says it is offline', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.failNext(SUBMIT, { status: 503, times: 2 });
	const sent = drawPanel(world, setup, 'the hero finds the shop closed');
	const { panel, footer } = await waitForFailure(world, sent.id);
	expect(footer).toContain('offline');
	expect(footer).toContain('try again in a few minutes');
	const tries = submissionsFor(panel.id);
	expect(tries.map((request) => request.status)).toEqual([503, 503]);
	// Never at once: the retry waits out the backoff (half to all of ORCHESTRATOR_RETRY_BASE_MS the first time).
	expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(50);
});

test('a generator that keeps rate-limiting (429) leaves the reply saying it is overloaded', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.failNext(SUBMIT, { status: 429, times: 2 });
	const sent = drawPanel(world, setup, 'the hero joins a long queue');
	const { footer } = await waitForFailure(world, sent.id);
	expect(footer).toContain('overloaded');
});

test('a submission that stalls past the request timeout is tried again with the same externalId, and the panel is drawn once', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.stallNext(SUBMIT, 2_500);
	const sent = drawPanel(world, setup, 'the hero waits for a slow door');
	await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
	const panel = await waitForPanel(world, sent.id, (row) => row.status === 'ready');
	const tries = submissionsFor(panel.id);
	expect(tries.length).toBeGreaterThanOrEqual(2);
	expect(new Set(tries.map((request) => JSON.stringify(request.body).match(/"externalId":"([^"]+)"/)?.[1]))).toEqual(new Set([panel.id]));
	const created = [...world.orchestrator.workflows.values()].filter((workflow) => workflow.body.externalId === panel.id);
	expect(created).toHaveLength(1);
});

test('an image download that fails is tried again and the panel is still delivered', async () => {
	const setup = await projectWithCharacter(world);
	const blobsBefore = world.orchestrator.requests.filter((request) => request.path.startsWith('/blobs/')).length;
	world.orchestrator.failNext({ method: 'GET', path: /^\/blobs\// }, { status: 500 });
	const sent = drawPanel(world, setup, 'the hero poses for a photo');
	const delivered = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
	const panel = await waitForPanel(world, sent.id, (row) => row.status === 'ready');
	expect(delivered.attachments[0]?.data.equals(pngWithText(`workflow ${panel.workflowId}`))).toBe(true);
	const downloads = world.orchestrator.requests.filter((request) => request.path.startsWith('/blobs/')).slice(blobsBefore);
	expect(downloads.map((request) => request.status)).toEqual([500, 200]);
});

test('an image URL that expired before the download gets a fresh one through the blob refresh call', async () => {
	const setup = await projectWithCharacter(world);
	const blobsBefore = world.orchestrator.requests.filter((request) => request.path.startsWith('/blobs/')).length;
	// Hold the first download until its signed URL has expired, as a slow network would.
	world.orchestrator.stallNext({ method: 'GET', path: /^\/blobs\// }, 300);
	const sent = drawPanel(world, setup, 'the hero is late for the photo');
	await world.discord.waitFor(() => world.orchestrator.requests.filter((request) => request.path.startsWith('/blobs/')).length > blobsBefore || undefined);
	world.orchestrator.expireImageUrls();
	const delivered = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
	const panel = await waitForPanel(world, sent.id, (row) => row.status === 'ready');
	expect(delivered.attachments[0]?.data.equals(pngWithText(`workflow ${panel.workflowId}`))).toBe(true);
	const blobs = world.orchestrator.requests.filter((request) => request.path.startsWith('/blobs/')).slice(blobsBefore);
	expect(blobs.map((request) => request.status)).toEqual([403, 200]);
	expect(world.orchestrator.requests.some((request) => request.method === 'POST' && /^\/v2\/consumer\/blobs\/[^/]+\/refresh$/.test(request.path))).toBe(true);
});

test('the LLM failing (500) skips the rewrite: the fallback prompt is drawn and the reply says the rewrite was skipped', async () => {
	const setup = await projectWithCharacter(world);
	world.openai.failNext({ method: 'POST', path: /chat\/completions/ }, { status: 500 });
	const before = world.orchestrator.submissions.length;
	const sent = drawPanel(world, setup, 'the hero reads a book', { enhance: true });
	const delivered = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
	expect(submittedInput(world.orchestrator.submissions[before]?.body).prompt).toBe('herochar, the hero reads a book');
	expect(footerOf(delivered)).toContain('rewrite failed, so it was skipped');
	expect(world.logs.join('')).not.toContain(world.openai.apiKey);
});

test('an LLM slower than OPENAI_TIMEOUT_SECONDS is given up on: the fallback prompt is drawn without waiting for it', async () => {
	const setup = await projectWithCharacter(world);
	// Far longer than the test may run: the panel can be submitted only by giving up on the LLM (OPENAI_TIMEOUT_SECONDS is 1 in tests).
	world.openai.delayMs = 120_000;
	try {
		const before = world.orchestrator.submissions.length;
		const sent = drawPanel(world, setup, 'the hero thinks slowly', { enhance: true });
		await world.discord.waitFor(() => world.orchestrator.submissions.length > before || undefined);
		expect(submittedInput(world.orchestrator.submissions[before]?.body).prompt).toBe('herochar, the hero thinks slowly');
		const delivered = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
		expect(footerOf(delivered)).toContain('took too long, so it was skipped');
	} finally {
		world.openai.delayMs = 0;
	}
});

/** The log line of an unexpected error with this reference: it must name who, where and what. */
function errorLogWith(reference: string): Record<string, unknown> | undefined {
	const line = world.logs.find((entry) => entry.includes(`"reference":"${reference}"`));
	const parsed: unknown = line === undefined ? undefined : JSON.parse(line);
	return typeof parsed === 'object' && parsed !== null ? { ...parsed } : undefined;
}

function referenceIn(text: string): string {
	const reference = /reference: `([0-9a-f]{8})`/.exec(text)?.[1];
	expect(reference, text).toBeDefined();
	return reference ?? '';
}

test('an unexpected error (the image store cannot write) is logged with context and shown only as a reference id', async () => {
	const setup = await projectWithCharacter(world);
	// A file where the image directory should be: no write can succeed, even for root.
	const store = join(world.config.DATA_DIR, 'panels');
	rmSync(store, { recursive: true, force: true });
	writeFileSync(store, 'not a directory');
	try {
		const sent = drawPanel(world, setup, 'the hero fills the disk');
		const { panel, footer } = await waitForFailure(world, sent.id);
		const reference = referenceIn(footer);
		expect(footer).not.toMatch(/ENOTDIR|EEXIST|Error|\bat\s|panels/);
		const { projectId } = await world.bot.database.db.panel.findUniqueOrThrow({ where: { id: panel.panelId } });
		expect(errorLogWith(reference)).toMatchObject({
			level: 50,
			msg: 'a job step failed unexpectedly',
			drawingId: panel.id,
			panelId: panel.panelId,
			workflowId: panel.workflowId,
			interactionId: sent.id,
			userId: setup.userId,
			projectId,
			err: { message: expect.stringContaining('panels') },
		});
	} finally {
		rmSync(store, { force: true });
	}
});

test('an orchestrator answer of an unknown shape is an unexpected error: generic reply with a reference, details in the log', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.failNext({ method: 'GET', path: /^\/v2\/consumer\/workflows\/wf_/ }, { status: 200, body: { surprise: 'a new API version' }, times: 2 });
	const sent = drawPanel(world, setup, 'the hero reads a strange letter');
	const { panel, footer } = await waitForFailure(world, sent.id);
	const reference = referenceIn(footer);
	expect(footer).not.toContain('surprise');
	expect(errorLogWith(reference)).toMatchObject({
		level: 50,
		drawingId: panel.id,
		panelId: panel.panelId,
		workflowId: panel.workflowId,
		userId: setup.userId,
		interactionId: sent.id,
	});
});

test('no message of the bot pinged anyone', () => {
	expectNoPings(world.discord);
});
