import { afterAll, beforeAll, expect, test } from 'vitest';
import { QUALITY_NEGATIVE_PROMPT } from '../../src/comic/baseModels.ts';
import { continuityInstructions } from '../../src/comic/continuity.ts';
import { rewriteSystemPrompt } from '../../src/comic/prompt.ts';
import { modelVersion } from '../fakes/civitai.ts';
import { pngWithText } from '../fakes/orchestrator.ts';
import { embedOf, startWorld, type World } from '../world.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

const NO_PINGS = { parse: [] };

test('an SDXL LoRA: create project → add character → panel → the image is attached to the original reply', async () => {
	const { discord, civitai, orchestrator } = world;
	civitai.addModelVersion(modelVersion({ id: 789012, modelId: 123456, baseModel: 'SDXL 1.0', trainedWords: ['mychar', 'red scarf'], model: { name: 'Mira' } }));

	const created = await world.command({ group: 'project', subcommand: 'create', options: { name: 'Space Cats', description: 'Cats in space' } });
	expect(created.reply.ephemeral).toBe(true);
	expect(created.reply.content).toContain('Space Cats');

	const added = await world.command({
		group: 'character',
		subcommand: 'add',
		options: { project: 'space cats', model: 'https://civitai.com/models/123456/mira?modelVersionId=789012' },
	});
	const addedReply = await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
	expect(addedReply.ephemeral).toBe(true);
	expect(addedReply.content).toContain('Mira');
	expect(addedReply.content).toContain('SDXL 1.0');
	expect(addedReply.content).toContain('`mychar`');
	expect(addedReply.content).toContain('`red scarf`');

	const panel = discord.sendCommand({
		subcommand: 'panel',
		options: { project: 'Space Cats', prompt: 'she jumps across the rooftops @everyone', enhance: false },
	});
	const delivered = await world.waitForOriginal(panel.id, (message) => message.attachments.length === 1, 20_000);

	// Acknowledged with a public deferral.
	const [ack] = discord.callbacks.get(panel.id) ?? [];
	expect(ack?.type).toBe(5);
	expect(delivered.ephemeral).toBe(false);

	// Exactly one workflow, with the contract's parameters.
	expect(orchestrator.workflows.size).toBe(1);
	const [submission] = orchestrator.submissions;
	const seed = (submission?.body as { steps: { input: { seed: unknown } }[] } | undefined)?.steps[0]?.input.seed;
	expect(seed).toEqual(expect.any(Number));
	expect(submission?.body).toEqual({
		tags: ['comics'],
		externalId: expect.any(String),
		allowMatureContent: false,
		steps: [
			{
				$type: 'textToImage',
				priority: 'low',
				timeout: '00:21:00',
				input: {
					model: 'urn:air:sdxl:checkpoint:civitai:101055@128078',
					additionalNetworks: { 'urn:air:sdxl:lora:civitai:123456@789012': { strength: 1 } },
					prompt: 'mychar, red scarf, she jumps across the rooftops @everyone',
					negativePrompt: QUALITY_NEGATIVE_PROMPT,
					scheduler: 'euler',
					steps: 25,
					cfgScale: 7,
					clipSkip: 2,
					seed,
					width: 832,
					height: 1216,
					quantity: 1,
				},
			},
		],
		tips: { civitai: 0, creators: 0 },
	});
	expect(world.openai.completions).toHaveLength(0);

	// The very bytes the orchestrator made, shown through attachment:// in an embed.
	const [workflowId] = [...orchestrator.workflows.keys()];
	const [attachment] = delivered.attachments;
	expect(attachment?.data.equals(pngWithText(`workflow ${workflowId}`))).toBe(true);
	expect(embedOf(delivered).image).toEqual({ url: `attachment://${attachment?.filename}` });
	expect(JSON.stringify(embedOf(delivered))).toContain('Space Cats');

	// Progress was shown in between, and no message of the bot could ping anyone.
	expect(delivered.history.some((body) => JSON.stringify(body).includes('Being drawn'))).toBe(true);
	const writes = discord.requests.filter((request) => ['PATCH', 'POST'].includes(request.method) && /messages|webhooks/.test(request.path));
	expect(writes.length).toBeGreaterThan(0);
	for (const write of writes) expect((write.json as { allowed_mentions?: unknown }).allowed_mentions).toEqual(NO_PINGS);
});

test('a Flux LoRA with the prompt rewritten by the LLM', async () => {
	const { discord, civitai, orchestrator, openai } = world;
	civitai.addModelVersion(modelVersion({ id: 555001, modelId: 555000, baseModel: 'Flux.1 D', trainedWords: ['fluxchar'], model: { name: 'Nova' } }));
	await world.command({ group: 'project', subcommand: 'create', options: { name: 'Flux Saga' } });
	const added = await world.command({
		group: 'character',
		subcommand: 'add',
		options: { project: 'Flux Saga', model: 'urn:air:flux1:lora:civitai:555000@555001' },
	});
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));

	const before = orchestrator.submissions.length;
	const panel = discord.sendCommand({ subcommand: 'panel', options: { project: 'Flux Saga', prompt: 'she looks at the stars' } });
	const delivered = await world.waitForOriginal(panel.id, (message) => message.attachments.length === 1, 20_000);

	expect(openai.completions).toHaveLength(1);
	expect(openai.completions[0]?.body).toMatchObject({
		model: 'gpt-4o-mini',
		temperature: 0.7,
		max_tokens: 512,
		messages: [
			{ role: 'system', content: rewriteSystemPrompt(['fluxchar'], continuityInstructions({ characters: ['Nova'], previous: [] })) },
			{ role: 'user', content: 'she looks at the stars' },
		],
	});

	const submission = orchestrator.submissions[before];
	const input = (submission?.body as { steps: { input: Record<string, unknown> }[] } | undefined)?.steps[0]?.input;
	expect(input).toEqual({
		model: 'urn:air:flux1:checkpoint:civitai:618692@691639',
		additionalNetworks: { 'urn:air:flux1:lora:civitai:555000@555001': { strength: 1 } },
		// The fake LLM answers "REWRITTEN: …" without the trigger word, so the bot puts it in front.
		prompt: 'fluxchar, REWRITTEN: she looks at the stars',
		scheduler: 'undefined',
		steps: 28,
		cfgScale: 3.5,
		seed: expect.any(Number),
		width: 832,
		height: 1216,
		quantity: 1,
	});

	const workflowId = [...orchestrator.workflows.keys()].at(-1);
	expect(delivered.attachments[0]?.data.equals(pngWithText(`workflow ${workflowId}`))).toBe(true);
});
