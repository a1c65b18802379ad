import { cancelerFor } from '../../src/accounts/orchestratorForUser.ts';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags } from 'discord.js';
import { UserFacingError } from '../../src/comic/errors.ts';
import { cancelStory } from '../../src/comic/stories/cancelStory.ts';
import { drawStory } from '../../src/comic/stories/drawStory.ts';
import { plural } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { ButtonHandler } from '../command.ts';
import { encode } from './customId.ts';
import { AFTER_BURST_MAX_WAIT_MS, startDrawings } from '../drawingTail.ts';
import { checkOwnPrivateMessage } from './pressedMessage.ts';

const STORY_GONE = 'This story no longer exists (its project may have been deleted). Nothing was changed.';

/** Draw all / Cancel under a story plan. */
export function storyPlanButtons(storyId: string): ActionRowBuilder<ButtonBuilder> {
	return new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder()
			.setCustomId(encode('story', ['draw', storyId]))
			.setLabel('Draw all')
			.setStyle(ButtonStyle.Primary),
		new ButtonBuilder()
			.setCustomId(encode('story', ['cancel', storyId]))
			.setLabel('Cancel')
			.setStyle(ButtonStyle.Secondary),
	);
}

/** The custom id of Cancel story on a story's public message (rendered by src/discord/storyMessage.ts). */
export const storyCancelId = (storyId: string): string => encode('story', ['cancel', storyId]);

export const storyButtons: ButtonHandler<'story'> = {
	family: 'story',
	async execute(interaction, [action, storyId], deps) {
		// Who may act, and on which message, before anything is acknowledged: a refusal is a private reply
		// and the message (the public story message, whose Cancel anyone sees) is never touched.
		const story = await deps.db.storyPlan.findUnique({ where: { id: storyId }, select: { ownerId: true, messageId: true } });
		if (!story) throw new UserFacingError(STORY_GONE);
		if (story.ownerId !== interaction.user.id)
			throw new UserFacingError(
				action === 'cancel' ? 'Only the person who planned this story can cancel it.' : 'Only the person who planned this story can draw it.',
			);
		// The plan is the owner's private reply; the story message is the one stored when Draw all was pressed.
		if (story.messageId === null || story.messageId !== interaction.message.id) checkOwnPrivateMessage(interaction);
		if (action === 'cancel') {
			await interaction.deferUpdate();
			// accounts: per-user key (each workflow canceled with the key that submitted it)
			const cancelerOf = cancelerFor(deps.accounts, interaction.user.id);
			const result = await cancelStory(
				{ db: deps.db, botOrchestrator: deps.generation.botOrchestrator, log: deps.log, cancelerFor: cancelerOf },
				interaction.user.id,
				storyId,
			);
			if (!result) {
				// Deleted with its project between the check and now: told privately, the message left as it is.
				await interaction.followUp({ content: STORY_GONE, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
				return;
			}
			if (result.already) {
				await interaction.followUp({
					content: 'This story was already canceled. Nothing more to do.',
					flags: MessageFlags.Ephemeral,
					allowedMentions: NO_MENTIONS,
				});
				return;
			}
			if (!result.wasDrawing) {
				await interaction.editReply({ content: 'Story canceled: nothing was drawn.', components: [], allowedMentions: NO_MENTIONS });
				return;
			}
			await deps.generation.storyMessenger?.(storyId);
			const dropped = result.dropped ? `${plural(result.dropped, 'waiting panel')} dropped` : '';
			const canceled = result.canceled ? `${plural(result.canceled, 'panel')} being drawn canceled` : '';
			await interaction.followUp({
				content: `Story canceled${dropped || canceled ? `: ${[dropped, canceled].filter(Boolean).join(', ')}` : ''}. Panels already drawn stay in the project.`,
				flags: MessageFlags.Ephemeral,
				allowedMentions: NO_MENTIONS,
			});
			return;
		}
		// Checked and created in one transaction before anything is shown: a refusal is a plain private answer.
		// In a burst (fifty stories drawn at once) the press is acknowledged first and its transaction waits
		// for the others to be acknowledged: a refusal then comes as a private follow-up, the plan left as it is
		// (docs/decisions/006-acknowledgements-in-a-burst.md).
		if (deps.ackGate.crowded()) {
			await interaction.deferUpdate();
			await deps.ackGate.quiet(AFTER_BURST_MAX_WAIT_MS);
		}
		const limits = { ...deps.limits, storyPlanTtlMs: deps.config.STORY_PLAN_TTL_MINUTES * 60_000 };
		const drawn = await drawStory(deps.db, limits, interaction.user.id, storyId, {
			applicationId: interaction.applicationId,
			interactionId: interaction.id,
			interactionToken: interaction.token,
			interactionCreatedAt: new Date(interaction.createdTimestamp),
			channelId: interaction.channelId,
			messageId: null,
		});
		deps.log.info({ storyId, panels: drawn.panels, started: drawn.started.length }, 'story drawing');
		await startDrawings(deps, { due: drawn.started });
		const drawing = { content: `Drawing ${plural(drawn.panels, 'panel')}: follow them in the story message.`, components: [], allowedMentions: NO_MENTIONS };
		await (interaction.deferred ? interaction.editReply(drawing) : interaction.update(drawing));
		const message = await interaction.followUp({ content: `Drawing ${plural(drawn.panels, 'panel')}…`, allowedMentions: NO_MENTIONS });
		await deps.db.storyPlan.update({
			where: { id: storyId },
			data: {
				applicationId: interaction.applicationId,
				interactionToken: interaction.token,
				interactionCreatedAt: new Date(interaction.createdTimestamp),
				messageId: message.id,
			},
		});
		await deps.generation.storyMessenger?.(storyId);
	},
};
