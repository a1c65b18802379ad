// A project with several characters (LoRAs), for tests of mentions and stories.
import { modelVersion } from '../../fakes/civitai.ts';
import type { World } from '../../world.ts';
import { newUserId } from './panels.ts';

export interface CastMember {
	readonly name: string;
	readonly air: string;
	readonly trainedWords: readonly string[];
	readonly strength?: number;
	readonly baseModel: string;
}

export interface Cast {
	readonly userId: string;
	readonly project: string;
	readonly members: readonly CastMember[];
}

/** Creates a project for a new user and adds one character per entry (its name, base model, trigger word, optional strength). */
export async function projectWithCast(
	world: World,
	entries: readonly { name: string; baseModel?: string; word: string; strength?: number }[],
	options: { description?: string } = {},
): Promise<Cast> {
	const userId = newUserId();
	const project = `Cast ${userId.slice(-6)}`;
	await world.command({
		userId,
		group: 'project',
		subcommand: 'create',
		options: { name: project, ...(options.description ? { description: options.description } : {}) },
	});
	const members: CastMember[] = [];
	for (const entry of entries) {
		const version = modelVersion({ baseModel: entry.baseModel ?? 'SDXL 1.0', trainedWords: [entry.word], model: { name: `${entry.name} model` } });
		world.civitai.addModelVersion(version);
		const added = await world.command({
			userId,
			group: 'character',
			subcommand: 'add',
			options: { project, model: String(version.id), name: entry.name, ...(entry.strength === undefined ? {} : { strength: entry.strength }) },
		});
		await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
		members.push({
			name: entry.name,
			air: version.air ?? '',
			trainedWords: version.trainedWords,
			baseModel: version.baseModel,
			...(entry.strength === undefined ? {} : { strength: entry.strength }),
		});
	}
	return { userId, project, members };
}
