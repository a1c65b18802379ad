import { advancePanel } from '../src/comic/panels/advancePanel.ts';
import { leaseMsOf } from '../src/comic/panels/panelDeps.ts';
import { createPanel, PANEL_PROMPT_MAX, planPanel } from '../src/comic/panels/requestPanel.ts';
import type { Subcommand } from './command.ts';
import { projectOption } from './options.ts';

export const panelCommand: Subcommand = {
	name: 'panel',
	define: (builder) =>
		projectOption(builder.setName('panel').setDescription('Draw a comic panel with one of your characters'))
			.addStringOption((option) => option.setName('prompt').setDescription('What happens in the panel').setRequired(true).setMinLength(1).setMaxLength(PANEL_PROMPT_MAX))
			.addStringOption((option) => option.setName('character').setDescription('Who is in it (optional when the project has one character)').setAutocomplete(true).setMaxLength(100))
			.addBooleanOption((option) => option.setName('enhance').setDescription('Let an AI rewrite the prompt into a detailed comic-panel prompt (default: on)')),
	async execute(interaction, deps) {
		// Everything refusable is checked before the acknowledgement, so refusals stay private.
		const plan = await planPanel(deps.db, deps.limits, {
			ownerId: interaction.user.id,
			project: interaction.options.getString('project', true),
			character: interaction.options.getString('character'),
			prompt: interaction.options.getString('prompt', true),
			guildId: interaction.guildId,
			allowMature: deps.interactionChannels.isAgeRestricted(interaction),
		});
		const response = await interaction.deferReply({ withResponse: true });
		deps.ackGate.acknowledged(interaction.id);
		const lease = { owner: `${deps.leaseOwner}/${interaction.id}`, until: new Date(Date.now() + leaseMsOf(deps.panels)) };
		const panel = await createPanel(
			deps.db,
			plan,
			{
				applicationId: interaction.applicationId,
				interactionId: interaction.id,
				interactionToken: interaction.token,
				interactionCreatedAt: new Date(interaction.createdTimestamp),
				channelId: interaction.channelId,
				messageId: response.resource?.message?.id ?? null,
			},
			interaction.options.getBoolean('enhance') ?? true,
			lease,
		);
		deps.log.info({ panelId: panel.id, interactionId: interaction.id, userId: interaction.user.id, projectId: plan.project.id }, 'panel requested');
		// Stored first (a crash now loses nothing); others drawing at the same moment are acknowledged
		// before this panel's prompt and submission go on.
		await deps.ackGate.quiet(1_500);
		await advancePanel(deps.panels, panel.id, lease.owner);
	},
};
