import type { ChatInputCommandInteraction, InteractionCallbackResponse } from 'discord.js';
import { messageRefOf } from '../src/discord/messageRef.ts';
import { drawnSize } from '../src/comic/lettering/setPanelWords.ts';
import { checkWords } from '../src/comic/lettering/words.ts';
import { checkPrompt, createPanel, planPanel, type PanelPlan, type PanelRequest } from '../src/comic/drawings/newPanel.ts';
import type { AppDeps } from '../src/deps.ts';
import { subcommand } from './command.ts';
import { panelDefinition } from './definitions/panel.ts';
import { AFTER_BURST_MAX_WAIT_MS, startDrawings } from './drawingTail.ts';
import { admittedOne } from '../src/comic/drawings/start.ts';

export const panelCommand = subcommand({
	definition: panelDefinition,
	async execute(interaction, options, deps) {
		const request = {
			ownerId: interaction.user.id,
			project: options.project,
			character: options.character,
			prompt: checkPrompt(options.prompt),
			guildId: interaction.guildId,
			allowMature: deps.interactionChannels.isAgeRestricted(interaction),
			takes: Math.min(4, Math.max(1, options.takes ?? 1)),
			follow: options.follow,
		};
		const typed = { caption: options.caption, dialogue: options.dialogue };
		// Before the acknowledgement on the usual picture size (a plain private refusal), then on the size
		// this character's model draws: a refusal says how many characters fit.
		await checkWords(typed, drawnSize(undefined));
		const { plan, response } = await planAndAcknowledge(interaction, deps, request);
		const words = await checkWords(typed, drawnSize(plan.character.baseModel));
		const lease = deps.jobs.newClaim(interaction.id);
		const { panel, drawing, placement, promoted, subject } = await createPanel(
			deps.db,
			deps.limits,
			plan,
			messageRefOf(interaction, response),
			{
				enhance: options.enhance ?? plan.enhanceDefault, // accounts: server settings
				takes: request.takes,
				words,
			},
			{ owner: lease.claim, until: lease.until },
		);
		deps.log.info(
			{ panelId: panel.id, drawingId: drawing.id, interactionId: interaction.id, userId: interaction.user.id, projectId: plan.project.id },
			'panel requested',
		);
		// The drawing's first run takes what admission stored and read instead of reading it again.
		await startDrawings(deps, admittedOne({ drawing, placement, promoted }, lease.claim, { subject, until: lease.until }));
	},
});

/**
 * Checks the request and acknowledges the interaction. Usually the checks come first, so a refusal is
 * a plain private reply. In a burst, or when the checks are slow, the acknowledgement comes first and a
 * refusal withdraws it and answers privately (commands/dispatch.ts).
 */
async function planAndAcknowledge(
	interaction: ChatInputCommandInteraction,
	deps: AppDeps,
	request: PanelRequest,
): Promise<{ plan: PanelPlan; response: InteractionCallbackResponse }> {
	if (deps.ackGate.crowded()) {
		const response = await acknowledge(interaction);
		// The checks wait for the others of the burst to be acknowledged as well.
		await deps.ackGate.quiet(AFTER_BURST_MAX_WAIT_MS);
		return { plan: await planPanel(deps.db, deps.limits, request), response };
	}
	const planning = planPanel(deps.db, deps.limits, request);
	// Checks that take longer (a slow or busy database) go on after the acknowledgement (CHECKS_BEFORE_ACK_MS).
	const hurry = deps.ackGate.crowdedOrLate(deps.config.CHECKS_BEFORE_ACK_MS);
	try {
		const first = await Promise.race([planning, hurry.reached]);
		if (first) return { plan: first, response: await acknowledge(interaction) };
	} finally {
		hurry.done();
	}
	const response = await acknowledge(interaction);
	return { plan: await planning, response };
}

/** The deferred, public reply the panel will appear in. */
async function acknowledge(interaction: ChatInputCommandInteraction): Promise<InteractionCallbackResponse> {
	// The dispatcher counts it answered the moment Discord takes it (AckGate.watch).
	return interaction.deferReply({ withResponse: true });
}
