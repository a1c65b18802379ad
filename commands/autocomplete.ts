import type { AutocompleteInteraction } from 'discord.js';
import { suggestCharacters } from '../src/comic/characters.ts';
import { suggestPanels } from '../src/comic/panels/suggestPanels.ts';
import { suggestProjects } from '../src/comic/projects.ts';
import { unsafeCharacter } from '../src/comic/text.ts';
import type { AppDeps } from '../src/deps.ts';
import { actorOf } from '../src/discord/actor.ts';

/**
 * Autocomplete must be answered within 3 seconds and cannot be deferred: one indexed query each,
 * only projects the user may see (src/comic/access.ts), at most 25 choices.
 */
export async function autocomplete(interaction: AutocompleteInteraction, deps: AppDeps): Promise<void> {
	const focused = interaction.options.getFocused(true);
	const typed = String(focused.value);
	const actor = actorOf(interaction);
	// Nothing with a control or broken character can be found, and PostgreSQL would refuse the query (a NUL).
	const project = interaction.options.get('project')?.value;
	if (unsafeCharacter(typed) || (typeof project === 'string' && unsafeCharacter(project))) {
		await interaction.respond([]);
		return;
	}
	if (focused.name === 'project') {
		await interaction.respond(await suggestProjects(deps.db, actor, typed));
		return;
	}
	if (focused.name === 'character') {
		const project = interaction.options.getString('project') ?? '';
		await interaction.respond(await suggestCharacters(deps.db, actor, project, typed));
		return;
	}
	if (focused.name === 'panel' || focused.name === 'follow') {
		const project = interaction.options.getString('project') ?? '';
		// `/comic panel follow:` follows a panel's picture: only ready panels.
		await interaction.respond(await suggestPanels(deps.db, actor, project, typed, { ready: focused.name === 'follow' }));
		return;
	}
	await interaction.respond([]);
}
