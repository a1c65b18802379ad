// Helpers for the lettering, export and reader tests: pictures the size a model draws, ready panels.
import sharp from 'sharp';
import type { FakeMessage } from '../../fakes/discord.ts';
import { noise } from '../../unit/images/pictures.ts';
import type { World } from '../../world.ts';
import type { Setup } from './panels.ts';

/** The fake orchestrator draws noisy 832x1216 pictures (SDXL's size), so lettering has room and shows. */
export async function drawRealPictures(world: World): Promise<Buffer> {
	const picture = await noise(832, 1216);
	world.orchestrator.behaviour = () => ({ durationMs: 30, outcome: 'succeeded', image: picture });
	return picture;
}

/** Draws a panel and waits until its message shows the picture. */
export async function readyPanel(world: World, setup: Setup, prompt: string, words: { caption?: string; dialogue?: string } = {}): Promise<FakeMessage> {
	const sent = world.discord.sendCommand({ userId: setup.userId, subcommand: 'panel', options: { project: setup.project, prompt, enhance: false, ...words } });
	return world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
}

export async function sizeOf(data: Buffer): Promise<{ width: number; height: number; format: string }> {
	const { width, height, format } = await sharp(data).metadata();
	return { width, height, format };
}

/** Pixels (RGB) that differ between two pictures of the same size, within a region. */
export async function differingPixels(a: Buffer, b: Buffer, region?: { left: number; top: number; width: number; height: number }): Promise<number> {
	const raw = async (image: Buffer) => {
		const pipeline = sharp(image).removeAlpha();
		return (region ? pipeline.extract(region) : pipeline).raw().toBuffer();
	};
	const [left, right] = await Promise.all([raw(a), raw(b)]);
	let count = 0;
	for (let i = 0; i < left.length; i += 3) if (left[i] !== right[i] || left[i + 1] !== right[i + 1] || left[i + 2] !== right[i + 2]) count++;
	return count;
}

/** The text of every message the bot wrote for an interaction (reply and follow-ups). */
export function messagesOf(world: World, interactionId: string): FakeMessage[] {
	return [...world.discord.messages.values()].filter((message) => message.interactionId === interactionId && !message.deleted);
}
