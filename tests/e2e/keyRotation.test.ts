import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { keyVersionOf, Vault } from '../../src/accounts/crypto.ts';
import { startWorld, type World } from '../world.ts';
import { drawPanel, projectWithCharacter, waitForPanel } from './support/panels.ts';

const oldKey = randomBytes(32).toString('base64');
const newKey = randomBytes(32).toString('base64');
const civitaiKey = (): string => randomBytes(16).toString('hex');

let world: World;
beforeAll(async () => {
	// The operator rotated: a new ENCRYPTION_KEY, the previous one moved to ENCRYPTION_KEYS_OLD.
	world = await startWorld({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEYS_OLD: oldKey });
});
afterAll(async () => {
	await world?.close();
});

test('after a rotation a key sealed with the old ENCRYPTION_KEY still pays for its owner’s panels, and new links are sealed with the new key', async () => {
	const setup = await projectWithCharacter(world);
	const key = civitaiKey();
	world.orchestrator.keys.add(key);
	// The row as the previous deployment (ENCRYPTION_KEY = the old key) stored it.
	const sealed = Vault.fromBase64(oldKey)?.seal(key, setup.userId);
	if (!sealed) throw new Error('no vault');
	await world.bot.database.db.userKey.create({ data: { userId: setup.userId, ...sealed } });

	const sent = drawPanel(world, setup, 'paid with a key sealed before the rotation');
	const panel = await waitForPanel(world, sent.id, (found) => found.status === 'ready' && found.delivery === 'delivered');
	expect(panel.paidBy).toBe('user');
	expect(world.orchestrator.workflows.get(panel.workflowId ?? '')?.key).toBe(key);

	// Linking again now seals with the new key.
	const opened = world.discord.sendCommand({ userId: setup.userId, group: 'account', subcommand: 'link' });
	const modal = await world.discord.waitFor(() => world.discord.modalOf(opened.id));
	const submitted = world.discord.sendModalSubmit({ userId: setup.userId, customId: String(modal.custom_id), fields: { api_key: key } });
	await world.waitForOriginal(submitted.id, (message) => message.content.includes('linked'));
	const row = await world.bot.database.db.userKey.findUniqueOrThrow({ where: { userId: setup.userId } });
	expect(row.keyVersion).toBe(keyVersionOf(Buffer.from(newKey, 'base64')));
	expect(row.keyVersion).not.toBe(sealed.keyVersion);
});
