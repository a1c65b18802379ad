import type { AutocompleteInteraction } from 'discord.js';
import { nameKey } from '../src/comic/names.ts';
import { suggestProjects } from '../src/comic/projects.ts';
import type { AppDeps } from '../src/deps.ts';

/**
 * Autocomplete must be answered within 3 seconds and cannot be deferred: one indexed query each,
 * only the user's own projects, at most 25 choices.
 */
export async function autocomplete(interaction: AutocompleteInteraction, deps: AppDeps): Promise<void> {
	const focused = interaction.options.getFocused(true);
	const typed = String(focused.value);
	const userId = interaction.user.id;
	if (focused.name === 'project') {
		await interaction.respond(await suggestProjects(deps.db, userId, typed));
		return;
	}
	if (focused.name === 'character') {
		const projectRef = interaction.options.getString('project') ?? '';
		const key = nameKey(typed);
		const characters = await deps.db.character.findMany({
			where: {
				project: { ownerId: userId, OR: [{ id: projectRef }, { nameKey: nameKey(projectRef) }] },
				...(key ? { nameKey: { contains: key } } : {}),
			},
			orderBy: { createdAt: 'asc' },
			take: 25,
			select: { id: true, name: true },
		});
		await interaction.respond(characters.map((character) => ({ name: character.name.slice(0, 100), value: character.id })));
		return;
	}
	await interaction.respond([]);
}
