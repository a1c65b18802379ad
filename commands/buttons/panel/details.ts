import { type APIEmbed, type ButtonInteraction, MessageFlags } from 'discord.js';
import { quote } from '../../../src/comic/names.ts';
import { type DrawingDetails, drawingDetails } from '../../../src/comic/panels/drawingDetails.ts';
import { findPressedDrawing } from './pressed.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { clip } from '../../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../../src/discord/render.ts';

/** Details: privately, how this drawing was made. */
export async function detailsPress(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	const drawing = await findPressedDrawing(interaction, deps, drawingId);
	const details = await drawingDetails(deps.db, drawing);
	await interaction.reply({ embeds: [detailsEmbed(details)], flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

const code = (text: string | number | null) => (text === null ? 'not yet known' : `\`${String(text).replaceAll('`', 'ˋ')}\``);

/** `follow:` in Details: which panel's picture went in, or why none did. */
function followsText(follows: NonNullable<DrawingDetails['follows']>): string {
	if (follows.used)
		return follows.number === 0
			? "a panel's picture that was deleted since, after the characters' pictures"
			: `panel ${follows.number}'s picture${follows.take === null ? '' : ` (take ${follows.take})`}, after the characters' pictures: same place, next moment`;
	return follows.prepared
		? `panel ${follows.number}, but its picture was not sent with this drawing (it had no picture that may be shown here, or this drawing's engine took no picture for it: a LoRA checkpoint, or no room left)`
		: `panel ${follows.number}: its picture is added when this drawing is prepared`;
}

export function detailsEmbed(details: DrawingDetails): APIEmbed {
	const description = [
		...(details.change === null
			? []
			: ["**A change of the panel's picture** (its chosen take was the first image), asked as:", `> ${quote(details.change).replaceAll('\n', '\n> ')}`]),
		'**Prompt as typed**',
		`> ${quote(details.typed).replaceAll('\n', '\n> ')}`,
		'**Prompt sent**',
		details.sent === null ? 'not yet built' : `\`\`\`\n${details.sent.replaceAll('```', 'ˋˋˋ')}\n\`\`\``,
	].join('\n');
	const takes = details.takes.length
		? details.takes.map((take) => `${take.chosen ? '✓ ' : ''}take ${take.index}${take.seed === null ? '' : ` (seed ${take.seed})`}`).join(', ')
		: `${details.takeCount} asked for`;
	const fields = [
		{
			name: details.characters.length === 1 ? 'Character' : 'Characters',
			value: clip(details.characters.map((character) => `**${quote(character.name)}** at strength ${character.strength}`).join('\n') || 'none left', 1024),
		},
		{ name: 'Negative prompt', value: clip(details.negativePrompt ?? 'none', 1024) },
		{ name: 'Engine', value: code(details.engine), inline: true },
		...(details.engineModel ? [{ name: 'Model', value: code(details.engineModel), inline: true }] : []),
		...(details.engine && details.engine !== 'checkpoint'
			? [
					{
						name: 'References',
						value: `${details.change === null ? '' : "the panel's picture, then "}${details.references} picture${details.references === 1 ? '' : 's'} of the characters, in order${details.follows?.used ? ', then the followed panel' : ''}`,
						inline: true,
					},
				]
			: []),
		...(details.follows ? [{ name: 'Follows', value: followsText(details.follows) }] : []),
		{ name: 'Seed', value: code(details.seed), inline: true },
		{ name: 'Checkpoint', value: details.engine && details.engine !== 'checkpoint' ? 'none (drawn from pictures)' : code(details.checkpoint), inline: true },
		{ name: 'LoRA', value: clip(details.loras.map((lora) => `\`${lora.air}\` at strength ${lora.strength}`).join('\n') || 'none', 1024) },
		{
			name: 'Size',
			value:
				details.size === null
					? 'not yet known'
					: typeof details.size === 'string'
						? `${details.size} portrait`
						: `${details.size.width} x ${details.size.height}`,
			inline: true,
		},
		{ name: 'Steps', value: code(details.steps), inline: true },
		{ name: 'CFG', value: code(details.cfgScale), inline: true },
		{ name: 'Scheduler', value: code(details.scheduler), inline: true },
		{ name: 'Workflow', value: code(details.workflowId), inline: true },
		{ name: 'Takes', value: clip(takes, 1024), inline: true },
		{
			name: 'Buzz',
			value: details.cost !== null ? `${details.cost} ⚡` : details.estimatedBuzz !== null ? `about ${details.estimatedBuzz} (estimate)` : 'not yet known',
			inline: true,
		},
	];
	return {
		title: clip(`${quote(details.projectName)} · panel ${details.number}: details`, 256),
		description: clip(description, 4096),
		fields,
		color: 0x5865f2,
	};
}
