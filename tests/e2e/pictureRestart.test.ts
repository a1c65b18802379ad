// Picture characters across processes: the bot as a real process killed with SIGKILL after a panel's
// reference picture was uploaded and before its workflow was submitted; then another process (on
// PostgreSQL, with a DATA_DIR of its own: another host) draws with the same character months later, when
// the blob store has forgotten the picture, from the bytes kept in the database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startStage, waitFor, type BotProcess, type Stage } from '../process.ts';
import { attachment } from './support/pictures.ts';

let stage: Stage;
let bot: BotProcess;
const otherDataDir = mkdtempSync(join(tmpdir(), 'comic-other-host-'));
const ADMIN = (2248473465835073n | 0x20n).toString();

beforeAll(async () => {
	stage = await startStage({ SHUTDOWN_GRACE_SECONDS: '2' });
	bot = await stage.start();
	// Drawn at once: the confirmation has its own test.
	await stage.command({ memberPermissions: ADMIN, subcommand: 'settings', options: { confirm_above: 100_000 } });
	await stage.command({ group: 'project', subcommand: 'create', options: { name: 'Hosts' } });
	const added = await stage.command({
		group: 'character',
		subcommand: 'add',
		options: { project: 'Hosts', name: 'Mira' },
		attachments: { image: await attachment('#884422') },
	});
	await stage.discord.waitFor(() => stage.discord.originalMessage(added.id)?.content.includes('Added'), 15_000);
});

afterAll(async () => {
	await stage?.close();
	rmSync(otherDataDir, { recursive: true, force: true });
});

const workflowsOf = (drawingId: string) => [...stage.orchestrator.workflows.values()].filter((workflow) => workflow.body.externalId === drawingId);

test('killed after the upload and before the submission, the restarted bot submits once, without uploading again; another process draws later from the database', async () => {
	const { discord, orchestrator } = stage;
	// The price request after the upload hangs: the process is killed there.
	orchestrator.stallNext({ method: 'POST', path: /^\/v2\/consumer\/workflows$/ }, 60_000);
	const sent = discord.sendCommand({ subcommand: 'panel', options: { project: 'Hosts', prompt: 'Mira on the pier', enhance: false } });
	await waitFor(
		() => orchestrator.uploads.length === 1 && orchestrator.requests.some((request) => request.path === '/v2/consumer/workflows' && request.method === 'POST'),
		20_000,
		() => `never reached the price request: uploads ${orchestrator.uploads.length}`,
	);
	const drawing = await stage.db().drawing.findFirstOrThrow({ where: { interactionId: sent.id } });
	expect(drawing.workflowId).toBeNull();
	await bot.crash();
	expect(workflowsOf(drawing.id)).toHaveLength(0);

	bot = await stage.start();
	await discord.waitFor(() => (discord.originalMessage(sent.id)?.attachments.length === 1 ? true : undefined), 30_000);
	expect(workflowsOf(drawing.id)).toHaveLength(1);
	// The blob uploaded before the crash was kept in the database and used: no second upload.
	expect(orchestrator.uploads).toHaveLength(1);
	const picture = await stage.db().characterPicture.findFirstOrThrow({ where: { character: { name: 'Mira' } } });
	expect(picture.blobId).toBe(orchestrator.uploads[0]?.blobId);

	// Months later: the store forgot the blob; another process (another host on PostgreSQL) draws with Mira.
	await bot.crash();
	orchestrator.dropBlob(picture.blobId ?? '');
	await stage.db().characterPicture.update({ where: { id: picture.id }, data: { blobUrlExpiresAt: new Date(Date.now() - 1000) } });
	const onPostgres = stage.env.DATABASE_URL !== undefined;
	bot = await stage.start(onPostgres ? { DATA_DIR: otherDataDir } : {});
	const later = discord.sendCommand({ subcommand: 'panel', options: { project: 'Hosts', prompt: '@Mira at the lighthouse', enhance: false } });
	await discord.waitFor(() => (discord.originalMessage(later.id)?.attachments.length === 1 ? true : undefined), 30_000);
	expect(orchestrator.uploads).toHaveLength(2);
	const uploaded = orchestrator.uploads[1];
	// The same bytes, read from the database by the other process, went up again.
	expect(uploaded?.bytes.equals(Buffer.from(picture.data))).toBe(true);
	const last = orchestrator.submissions.filter((submission) => submission.query.get('whatif') !== 'true').at(-1);
	expect(JSON.stringify(last?.body)).toContain(uploaded?.blobId ?? '?');
});
