import { actorOf } from '../../../src/discord/actor.ts';
import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, type ButtonInteraction, ButtonStyle, MessageFlags } from 'discord.js';
import { UserFacingError } from '../../../src/comic/errors.ts';
import { quote } from '../../../src/comic/names.ts';
import { findOwnDrawing } from '../../../src/comic/drawings/ownDrawing.ts';
import { showDrawingAgain } from '../../../src/comic/panels/showPicture.ts';
import { payersOf } from '../../../src/comic/takes/payer.ts';
import { ensureImage } from '../../../src/comic/takes/pictures.ts';
import { chooseTakeOfPanel } from '../../../src/comic/takes/takes.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { clip } from '../../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../../src/discord/render.ts';
import { contactSheet, SHEET } from '../../../src/images/assembly/contactSheet.ts';
import type { ButtonHandler } from '../../command.ts';
import { encode } from '../customId.ts';
import { findPressedDrawing } from './pressed.ts';

const MADE: Readonly<Record<string, string>> = { panel: 'drawn', 'story-panel': 'drawn', redraw: 'redraw', edit: 'edit', change: 'change' };

/** Every take of a panel across all its drawings, oldest first, with how its drawing was made and what it cost. */
async function panelTakes(deps: AppDeps, panelId: string) {
	const takes = await deps.db.take.findMany({
		where: { panelId },
		orderBy: [{ createdAt: 'asc' }, { index: 'asc' }],
		select: {
			id: true,
			index: true,
			chosen: true,
			mature: true,
			imagePath: true,
			imageMime: true,
			workflowId: true,
			width: true,
			height: true,
			drawingId: true,
			drawing: { select: { createdAt: true, cost: true, changeInstruction: true, ownerId: true, paidBy: true } },
		},
	});
	const drawingIds = [...new Set(takes.map((take) => take.drawingId))];
	// How each drawing was made is what the limits ledger recorded when it was admitted.
	const entries = await deps.db.usageEntry.findMany({ where: { drawingId: { in: drawingIds } }, select: { drawingId: true, kind: true } });
	const kinds = new Map(entries.map((entry) => [entry.drawingId, entry.kind]));
	// Drawings in the order they were made, then their takes in order.
	return takes
		.sort((a, b) => a.drawing.createdAt.getTime() - b.drawing.createdAt.getTime() || a.index - b.index)
		.map((take) => ({ ...take, made: MADE[kinds.get(take.drawingId) ?? 'panel'] ?? 'drawn' }));
}

/**
 * History: privately, every take of the panel (first draw, redraws, edits, changes) as numbered
 * thumbnails, how each was made and what its drawing cost, with a button per take to make it the
 * panel's picture again. Mature takes are left out outside age-restricted channels, and that is said.
 */
export async function historyPress(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	const drawing = await findPressedDrawing(interaction, deps, drawingId);
	await interaction.deferReply({ flags: MessageFlags.Ephemeral });
	const allowMature = deps.interactionChannels.isAgeRestricted(interaction);
	const all = await panelTakes(deps, drawing.panelId);
	const shown = all.filter((take) => allowMature || !take.mature).slice(-SHEET.maxPanels);
	const withheld = all.filter((take) => !allowMature && take.mature).length;
	const lines = shown.map((take, position) => {
		const how = take.made === 'change' && take.drawing.changeInstruction ? `change: “${quote(clip(take.drawing.changeInstruction, 80))}”` : take.made;
		const cost = take.drawing.cost === null ? 'cost not known' : `${take.drawing.cost} Buzz for its drawing`;
		return `**${position + 1}.** ${take.chosen ? '✓ the picture · ' : ''}${how} · take ${take.index} · ${cost}`;
	});
	const notes = [
		`**History of panel ${drawing.panel.number}** (${all.length} take${all.length === 1 ? '' : 's'}; nothing is lost by Redraw, Edit or Change)`,
		...lines,
		...(withheld > 0 ? [`${withheld} mature take${withheld === 1 ? ' is' : 's are'} left out: this channel is not age-restricted.`] : []),
		...(all.length - withheld > shown.length ? [`Only the newest ${shown.length} are shown.`] : []),
	];
	if (shown.length === 0) {
		await interaction.editReply({ content: clip(notes.join('\n'), 2000), allowedMentions: NO_MENTIONS });
		return;
	}
	// Each picture through the takes' home: fetched again with its drawing's payer when this host lacks it.
	const payerOf = payersOf(deps.generation);
	const { images } = deps.generation;
	const sheet = await contactSheet(
		shown.map((take, position) => ({
			number: position + 1,
			image: async () => {
				await ensureImage(await payerOf(take.drawing), images, take);
				return images.read(take.imagePath);
			},
			...(take.width && take.height ? { width: take.width, height: take.height } : {}),
		})),
	);
	const buttons = shown.map((take, position) =>
		new ButtonBuilder()
			.setCustomId(encode('panel-history', [drawingId, take.id]))
			.setLabel(take.chosen ? `✓ ${position + 1}` : `Use ${position + 1}`)
			.setStyle(take.chosen ? ButtonStyle.Success : ButtonStyle.Secondary),
	);
	const rows = [];
	for (let start = 0; start < buttons.length; start += 5)
		rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(buttons.slice(start, start + 5)).toJSON());
	await interaction.editReply({
		content: clip(notes.join('\n'), 2000),
		files: [new AttachmentBuilder(sheet.data, { name: `panel-${drawing.panel.number}-history.jpg` })],
		components: rows,
		allowedMentions: NO_MENTIONS,
	});
}

/**
 * Use under a History: the take becomes the panel's picture again. Checked before anything is
 * acknowledged: the presser owns the drawing, the press comes from their own private History, and the
 * take is still one of that panel's (and may be shown in this channel).
 */
export const historyButtons: ButtonHandler<'panel-history'> = {
	family: 'panel-history',
	async execute(interaction, [drawingId, takeId], deps) {
		const drawing = await findOwnDrawing(deps.db, actorOf(interaction), drawingId);
		const message = interaction.message;
		if (!message.flags.has(MessageFlags.Ephemeral) || message.interactionMetadata?.user.id !== interaction.user.id)
			throw new UserFacingError('These buttons are not yours to press. Nothing was changed.');
		const allowMature = deps.interactionChannels.isAgeRestricted(interaction);
		const choice = await chooseTakeOfPanel(deps.db, drawing.panelId, takeId, allowMature);
		const panel = `panel ${drawing.panel.number}`;
		if (!choice.chosen) {
			const content =
				choice.reason === 'missing'
					? `That take of ${panel} no longer exists. Nothing was changed.`
					: `That take already is the picture of ${panel}. Nothing was changed.`;
			await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
			return;
		}
		deps.log.info({ drawingId, panelId: drawing.panelId, takeId }, 'take chosen from history');
		// Showing the take's own message again may fetch and letter pictures: acknowledged first.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const shown = await showDrawingAgain(deps.generation, choice.drawingId).catch((error: unknown) => {
			deps.log.warn({ err: error, drawingId: choice.drawingId }, 'could not show the chosen take');
			return false;
		});
		await interaction.editReply({
			content: shown
				? `That take is the picture of ${panel} again; its message marks it, and \`/comic read\` and exports show it.`
				: `That take is the picture of ${panel} again (\`/comic read\` and exports show it), but its message could not be updated to show it.`,
			allowedMentions: NO_MENTIONS,
		});
	},
};
