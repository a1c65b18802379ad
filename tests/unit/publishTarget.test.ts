import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { expect, test } from 'vitest';
import { readTarget, refuseMissing } from '../../commands/publish.ts';
import { UserFacingError } from '../../src/comic/errors.ts';

const all = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.SendMessagesInThreads | PermissionFlagsBits.AttachFiles;
const here = { channelId: '300000000000000001', appPermissions: all | PermissionFlagsBits.CreatePublicThreads };

test('the channel option reads the same from Discord’s resolved channel and from discord.js’s cached channel', () => {
	const raw = { id: '1', name: 'comics', type: 15, permissions: String(all), app_permissions: String(all & ~PermissionFlagsBits.AttachFiles) };
	const built = {
		id: '1',
		name: 'comics',
		type: 15,
		permissions: new PermissionsBitField(all),
		appPermissions: new PermissionsBitField(all & ~PermissionFlagsBits.AttachFiles),
	};
	expect(readTarget(built, here)).toEqual(readTarget(raw, here));
	expect(() => refuseMissing(readTarget(built, here))).toThrow(/needs the permission \*\*Attach Files\*\* there/);
});

test('without app_permissions on the channel: the interaction’s own in its own channel, else unknown (Discord decides)', () => {
	expect(readTarget({ id: here.channelId, name: 'general', type: 0, permissions: String(all) }, here).bot).toBe(here.appPermissions);
	expect(readTarget({ id: '2', name: 'other', type: 0, permissions: String(all) }, here).bot).toBeUndefined();
	expect(() => refuseMissing(readTarget({ id: '2', name: 'other', type: 0, permissions: String(all) }, here))).not.toThrow();
});

test('a user who may not post in the channel cannot publish there through the bot; other channel types and no channel are refused', () => {
	const mute = { id: '3', name: 'announcements', type: 0, permissions: String(PermissionFlagsBits.ViewChannel), app_permissions: String(here.appPermissions) };
	expect(() => refuseMissing(readTarget(mute, here))).toThrow(/cannot send messages in <#3> yourself/);
	expect(() => readTarget({ id: '4', name: 'voice', type: 2, permissions: '0' }, here)).toThrow(UserFacingError);
	expect(() => readTarget(undefined, here)).toThrow(/`channel` option/);
});
