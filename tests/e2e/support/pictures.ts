// Helpers for the picture-character tests: real pictures made with sharp, attached to commands.
import sharp from 'sharp';
import type { CommandAttachment } from '../../fakes/discord-interactions.ts';
import type { World } from '../../world.ts';
import { newUserId } from './panels.ts';

/** A real PNG of `width`×`height` in one colour. */
export function picture(color: string, width = 300, height = 400): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: color } })
		.png()
		.toBuffer();
}

export async function attachment(color: string, filename = `${color.replace('#', '')}.png`): Promise<CommandAttachment> {
	return { filename, data: await picture(color), contentType: 'image/png' };
}

export interface PictureSetup {
	readonly userId: string;
	readonly project: string;
}

/** A project of a new user, with picture characters made from one picture each (by name → colour). */
export async function projectWithPictureCharacters(world: World, cast: Record<string, string>, userId = newUserId()): Promise<PictureSetup> {
	const project = `Pictures ${userId.slice(-6)}`;
	await world.command({ userId, group: 'project', subcommand: 'create', options: { name: project } });
	for (const [name, color] of Object.entries(cast)) {
		const added = await world.command({
			userId,
			group: 'character',
			subcommand: 'add',
			options: { project, name, description: `${name} the hero` },
			attachments: { image: await attachment(color) },
		});
		await world.waitForOriginal(added.id, (message) => message.content.includes('Added') || message.content.includes('❌') || message.content.length > 0);
		const reply = world.discord.originalMessage(added.id);
		if (!reply?.content.includes('Added')) throw new Error(`character ${name} was not added: ${reply?.content}`);
	}
	return { userId, project };
}
