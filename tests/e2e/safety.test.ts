import { afterAll, beforeAll, expect, test } from 'vitest';
import { pngWithText } from '../fakes/orchestrator.ts';
import { drawPanel, expectNoPings, footerOf, panelOf, projectWithCharacter, submittedInput, waitForFailure, waitForPanel } from './support/panels.ts';
import { startWorld, type World } from '../world.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld();
	// Each panel's prompt picks the rating (or block) the fake orchestrator gives its image.
	world.orchestrator.behaviour = (body) => {
		const prompt = String(submittedInput(body).prompt);
		const level = /rated (\w+)/.exec(prompt)?.[1];
		return { ...(level ? { nsfwLevel: level } : {}), ...(prompt.includes('blocked') ? { blockedReason: 'ContentModeration' } : {}) };
	};
});
afterAll(async () => {
	await world?.close();
});

const AGE_RESTRICTED = { channelId: '300000000000000099', channelNsfw: true };

function submissionOf(workflowId: string | null): Record<string, unknown> {
	const body = world.orchestrator.workflows.get(workflowId ?? '')?.body;
	return body ?? {};
}

test('a channel that is not age-restricted submits workflows without mature content; an age-restricted one allows it', async () => {
	const setup = await projectWithCharacter(world);
	const plain = drawPanel(world, setup, 'the hero walks in the park');
	const restricted = drawPanel(world, setup, 'the hero walks in the night club', AGE_RESTRICTED);
	const [plainPanel, restrictedPanel] = await Promise.all([
		waitForPanel(world, plain.id, (panel) => panel.workflowId !== null),
		waitForPanel(world, restricted.id, (panel) => panel.workflowId !== null),
	]);
	expect(submissionOf(plainPanel.workflowId).allowMatureContent).toBe(false);
	expect(submissionOf(restrictedPanel.workflowId).allowMatureContent).toBe(true);
	const restrictedContent = await world.bot.database.db.panel.findUniqueOrThrow({ where: { id: restrictedPanel.panelId } });
	expect(restrictedContent.allowMature).toBe(true);
	await Promise.all([plain.id, restricted.id].map((id) => world.waitForOriginal(id, (message) => message.attachments.length === 1)));
});

test('a direct message with the bot is not age-restricted', async () => {
	const setup = await projectWithCharacter(world);
	const sent = drawPanel(world, setup, 'the hero sends a letter', { guildId: null, channelId: '300000000000000077', channelNsfw: true });
	const panel = await waitForPanel(world, sent.id, (row) => row.workflowId !== null);
	expect(submissionOf(panel.workflowId).allowMatureContent).toBe(false);
});

test('a character whose model is flagged NSFW is refused in a channel that is not age-restricted, privately, storing nothing', async () => {
	const setup = await projectWithCharacter(world, { version: { model: { name: 'Velvet', nsfw: true } } });
	const submissions = world.orchestrator.submissions.length;
	const refused = await world.command({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'velvet on stage', enhance: false },
	});
	expect(refused.reply.ephemeral).toBe(true);
	expect(refused.reply.content).toContain('Velvet');
	expect(refused.reply.content).toContain('age-restricted channel');
	expect(await panelOf(world, refused.id)).toBeNull();
	expect(world.orchestrator.submissions.length).toBe(submissions);

	const allowed = drawPanel(world, setup, 'velvet on stage', AGE_RESTRICTED);
	const delivered = await world.waitForOriginal(allowed.id, (message) => message.attachments.length === 1);
	expect(delivered.ephemeral).toBe(false);
});

test('an image rated R, X or XXX is withheld outside age-restricted channels, and the reply says so', async () => {
	await Promise.all(
		['r', 'x', 'xxx'].map(async (level) => {
			const setup = await projectWithCharacter(world);
			const sent = drawPanel(world, setup, `the hero at the beach, rated ${level}`);
			const { message, footer, panel } = await waitForFailure(world, sent.id);
			expect(footer).toContain('withheld');
			expect(panel.failureReason).toBe(footer);
			expect(message.attachments).toHaveLength(0);
			expect(message.history.some((body) => JSON.stringify(body).includes('attachment://'))).toBe(false);
		}),
	);
});

test('a PG-13 image is posted in a channel that is not age-restricted', async () => {
	const setup = await projectWithCharacter(world);
	const sent = drawPanel(world, setup, 'the hero in a sword fight, rated pg13');
	const delivered = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1);
	const panel = await waitForPanel(world, sent.id, (row) => row.status === 'ready');
	expect(delivered.attachments[0]?.data.equals(pngWithText(`workflow ${panel.workflowId}`))).toBe(true);
});

test('an age-restricted channel posts an image rated X', async () => {
	const setup = await projectWithCharacter(world);
	const sent = drawPanel(world, setup, 'the hero after midnight, rated x', AGE_RESTRICTED);
	const delivered = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1);
	expect(footerOf(delivered)).toBe('');
});

test('an image that carries a blockedReason is never posted, not even in an age-restricted channel', async () => {
	const setup = await projectWithCharacter(world);
	const sent = drawPanel(world, setup, 'the hero, blocked by moderation', AGE_RESTRICTED);
	const { message, footer } = await waitForFailure(world, sent.id);
	expect(footer).toContain('withheld');
	expect(footer).toContain('moderation');
	expect(message.attachments).toHaveLength(0);
});

test('a prompt full of mentions pings nobody, and no message of the bot ever could', async () => {
	const setup = await projectWithCharacter(world);
	const sent = drawPanel(world, setup, 'the hero shouts @everyone @here <@100000000000000002> <@&200000000000000005>');
	await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1);
	expectNoPings(world.discord);
});
