import { MessageFlags } from 'discord.js';
import { quote } from '../src/comic/names.ts';
import { planStory } from '../src/comic/stories/planStory.ts';
import type { StoryPlanContent } from '../src/comic/stories/plan.ts';
import { oneLine } from '../src/discord/fitText.ts';
import { NO_MENTIONS } from '../src/discord/render.ts';
import { storyPlanButtons } from './buttons/story.ts';
import { subcommand } from './command.ts';
import { storyDefinition } from './definitions/story.ts';

export const storyCommand = subcommand({
	definition: storyDefinition,
	async execute(interaction, options, deps) {
		// The planner may take many seconds: acknowledge first, privately (the plan is the user's to review).
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const { story, plan, estimate } = await planStory(
			{
				db: deps.db,
				log: deps.log,
				chat: deps.chat,
				botOrchestrator: deps.generation.botOrchestrator,
				timeoutMs: deps.config.STORY_PLAN_TIMEOUT_SECONDS * 1000,
				plansPerDay: deps.config.MAX_STORY_PLANS_PER_USER_PER_DAY,
				planTtlMs: deps.config.STORY_PLAN_TTL_MINUTES * 60_000,
			},
			{
				ownerId: interaction.user.id,
				project: options.project,
				story: options.story,
				panels: options.panels,
				guildId: interaction.guildId,
				channelId: interaction.channelId,
				allowMature: deps.interactionChannels.isAgeRestricted(interaction),
			},
		);
		deps.log.info({ storyId: story.id, panels: plan.panels.length, estimate }, 'story planned');
		await interaction.editReply({ content: planText(plan, estimate), components: [storyPlanButtons(story.id)], allowedMentions: NO_MENTIONS });
	},
});

/** The plan as the user reviews it: one line per panel, its words, and the estimated Buzz. */
export function planText(plan: StoryPlanContent, estimate: number | undefined): string {
	const cost =
		estimate === undefined ? 'The cost could not be estimated.' : `Estimated cost: about **${Math.round(estimate)} Buzz** for ${plan.panels.length} panels.`;
	const lines = plan.panels.map((panel, index) => {
		const who = panel.characters.length ? ` (${panel.characters.map((name) => quote(name)).join(', ')})` : '';
		const words = [
			panel.caption ? `caption: “${quote(oneLine(panel.caption, 80))}”` : '',
			panel.dialogue ? `dialogue: “${quote(oneLine(panel.dialogue, 80))}”` : '',
		]
			.filter(Boolean)
			.join(' · ');
		return `**${index + 1}.** ${quote(oneLine(panel.description, 160))}${who}${words ? `\n   ${words}` : ''}`;
	});
	const text = [`**Story plan** — ${plan.panels.length} panels`, ...lines, cost].join('\n');
	return text.length > 2000 ? `${text.slice(0, 1900)}…\n${cost}` : text;
}
