// Picture downloads from the (fake) orchestrator's signed URLs: only allowed hosts, redirects checked,
// the size capped while reading, the bytes a picture; each refusal fails the panel with a plain reason.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { pngWithText } from '../fakes/orchestrator.ts';
import { startWorld, type World } from '../world.ts';
import { drawPanel, projectWithCharacter, waitForFailure, waitForPanel } from './support/panels.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterEach(() => {
	world.orchestrator.behaviour = () => ({});
});
afterAll(async () => {
	await world?.close();
});

test('a redirect to another signed URL on an allowed host is followed and the picture delivered', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ imageServing: 'redirect-same' });
	const sent = drawPanel(world, setup, 'a cat behind a redirect');
	const panel = await waitForPanel(world, sent.id, (row) => row.status === 'ready' && row.delivery === 'delivered');
	const message = await world.waitForOriginal(sent.id, (original) => original.attachments.length === 1);
	expect(message.attachments[0]?.data.equals(pngWithText(`workflow ${panel.workflowId}`))).toBe(true);
});

test('a redirect to a host outside IMAGE_HOSTS is not followed: the panel fails and says why', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ imageServing: 'redirect-foreign' });
	const sent = drawPanel(world, setup, 'a cat lured elsewhere');
	const { footer, panel } = await waitForFailure(world, sent.id);
	expect(footer).toContain('from a place this bot does not download from');
	expect(panel.failureReason).toContain('does not download from');
	expect(world.orchestrator.foreignImageRequests).toBe(0);
	expect(await world.bot.database.db.take.count({ where: { drawingId: panel.id } })).toBe(0);
});

test('a body past the size cap is cut off while it streams in: the panel fails as too large', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ imageServing: 'oversized' });
	const sent = drawPanel(world, setup, 'a cat of endless size');
	const { footer } = await waitForFailure(world, sent.id, 30_000);
	expect(footer).toContain('too large');
	// 200 MiB were on offer with no Content-Length; the bot stopped reading at its 25 MiB cap (plus what the network had in flight).
	expect(world.orchestrator.imageBytesStreamed).toBeLessThan(60 * 1024 * 1024);
});

test('bytes that are not a PNG, JPEG or WebP are refused whatever their content type says', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ image: Buffer.from('<html><body>Sign in to continue</body></html>'), mime: 'image/png' });
	const sent = drawPanel(world, setup, 'a cat that is really a web page');
	const { footer, panel } = await waitForFailure(world, sent.id);
	expect(footer).toContain('not a PNG, JPEG or WebP picture');
	expect(await world.bot.database.db.take.count({ where: { drawingId: panel.id } })).toBe(0);
});
