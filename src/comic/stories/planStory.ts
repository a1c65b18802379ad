import type { Orchestrator } from '../../civitai/orchestrator.ts';
import type { Db, StoryPlan } from '../../db/database.ts';
import type { ChatClient } from '../../llm/chatClient.ts';
import type { Log } from '../../log.ts';
import { trainedWordsOf } from '../characters.ts';
import { UserFacingError } from '../errors.ts';
import { generationInput } from '../generation/generationInput.ts';
import { drawingStep } from '../engines/drawingStep.ts';
import { STORY_TEXT_MAX } from '../limits.ts';
import { checkCharacters } from '../panels/panelCharacters.ts';
import { quote } from '../names.ts';
import { findProject } from '../access.ts';
import { fallbackPrompt } from '../prompt.ts';
import { DEFAULT_STORY_PLAN_TTL_MS } from './drawStory.ts';
import { parsePlan, planInstructions, type StoryPlanContent } from './plan.ts';
import { DEFAULT_STORY_PLANS_PER_DAY, removeExpiredPlans, takeStoryPlan } from './storyPlanLimits.ts';

export const NO_LLM =
	'Stories are planned by a language model, and this bot has none configured. The operator must set `OPENAI_API_KEY` (and `OPENAI_BASE_URL` for a server other than OpenAI) to enable `/comic story`.';

export interface StoryPlanningDeps {
	readonly db: Db;
	readonly log: Log;
	readonly chat: ChatClient | undefined;
	/** The bot's own client: a plan's whatif is priced with it. */
	readonly botOrchestrator: Pick<Orchestrator, 'estimate'>;
	/** The planner's bound, both tries together. */
	readonly timeoutMs: number;
	/** Story plans per user in any 24 hours (MAX_STORY_PLANS_PER_USER_PER_DAY). */
	readonly plansPerDay?: number | undefined;
	/** How long a plan can be drawn (STORY_PLAN_TTL_MINUTES): the user's older plans are removed when they plan again. */
	readonly planTtlMs?: number | undefined;
}

export interface StoryRequest {
	readonly ownerId: string;
	readonly project: string;
	readonly story: string;
	readonly panels?: number | null | undefined;
	readonly guildId: string | null;
	readonly channelId: string;
	readonly allowMature: boolean;
}

/**
 * Asks the LLM for a plan of the story (JSON, validated; one more try when the answer cannot be used),
 * estimates its Buzz (the orchestrator's `whatif` for the first panel, times the number of panels) and
 * stores it, so that the Draw all and Cancel buttons work after a restart. Nothing is stored on a refusal.
 */
export async function planStory(
	deps: StoryPlanningDeps,
	request: StoryRequest,
): Promise<{ story: StoryPlan; plan: StoryPlanContent; estimate: number | undefined }> {
	const text = request.story.trim();
	if (!text) throw new UserFacingError('The story is empty. Tell what happens, e.g. `Nova finds a map and sails to the island`.');
	if (text.length > STORY_TEXT_MAX) throw new UserFacingError(`The story is ${text.length} characters long; the limit is ${STORY_TEXT_MAX}.`);
	if (!deps.chat) throw new UserFacingError(NO_LLM);
	const project = await findProject(deps.db, { userId: request.ownerId, guildId: request.guildId }, request.project, 'draw');
	const characters = await deps.db.character.findMany({ where: { projectId: project.id }, orderBy: { createdAt: 'asc' } });
	if (characters.length === 0)
		throw new UserFacingError(`**${quote(project.name)}** has no characters yet. Add one with \`/comic character add\`, then plan the story.`);
	// Counted before the LLM is asked: a plan that fails still cost a call.
	const now = Date.now();
	await takeStoryPlan(deps.db, request, deps.plansPerDay ?? DEFAULT_STORY_PLANS_PER_DAY, now);
	await removeExpiredPlans(deps.db, deps.planTtlMs ?? DEFAULT_STORY_PLAN_TTL_MS, now, request.ownerId);
	const names = characters.map((character) => character.name);
	const panels = request.panels ?? undefined;
	const system = planInstructions({ description: project.description, characters: names, panels });

	const deadline = Date.now() + deps.timeoutMs;
	let problem: string | undefined;
	let plan: StoryPlanContent | undefined;
	for (let attempt = 0; attempt < 2 && !plan; attempt++) {
		const user = problem ? `${text}\n\nYour previous answer could not be used: ${problem}. Answer again with the JSON object only.` : text;
		const answer = await deps.chat.complete({ system, user, timeoutMs: Math.max(1, deadline - Date.now()), json: true });
		if (!answer.ok) {
			deps.log.warn({ reason: answer.reason, err: answer.error }, 'story planning failed');
			throw new UserFacingError(
				answer.reason === 'timeout'
					? 'The story planner did not answer in time, so there is no plan. Nothing was drawn; try again in a minute, perhaps with a shorter story.'
					: 'The story planner could not be reached, so there is no plan. Nothing was drawn; try again in a minute.',
			);
		}
		const parsed = parsePlan(answer.content, names, panels);
		if (parsed.ok) plan = parsed.plan;
		else {
			problem = parsed.problem;
			deps.log.warn({ problem, attempt }, 'the story plan could not be used');
		}
	}
	if (!plan)
		throw new UserFacingError(`The story planner's answer could not be used twice (${problem}). Nothing was drawn; try again, perhaps with a simpler story.`);
	const byName = new Map(characters.map((character) => [character.name, character]));
	plan.panels.forEach((panel, index) => {
		try {
			checkCharacters(panel.characters.flatMap((name) => byName.get(name) ?? []));
		} catch (error) {
			if (error instanceof UserFacingError) throw new UserFacingError(`Panel ${index + 1} of the plan: ${error.message}`);
			throw error;
		}
	});
	const estimate = await estimateBuzz(deps, plan, byName, request.allowMature);
	const story = await deps.db.storyPlan.create({
		data: {
			ownerId: request.ownerId,
			projectId: project.id,
			story: text,
			plan,
			estimatedBuzz: estimate ?? null,
			guildId: request.guildId,
			channelId: request.channelId,
			allowMature: request.allowMature,
		},
	});
	return { story, plan, estimate };
}

/** The first panel's cost without running it, times the number of panels; undefined when it cannot be known. */
async function estimateBuzz(
	deps: StoryPlanningDeps,
	plan: StoryPlanContent,
	byName: ReadonlyMap<string, { air: string; baseModel: string; strength: number; trainedWords: unknown }>,
	allowMature: boolean,
): Promise<number | undefined> {
	const [first] = plan.panels;
	const characters = (first?.characters ?? []).flatMap((name) => byName.get(name) ?? []);
	const fallback = [...byName.values()][0];
	const drawn = characters.length > 0 ? characters : fallback ? [fallback] : [];
	if (!first || drawn.length === 0) return undefined;
	try {
		const step = drawingStep(generationInput(drawn, fallbackPrompt(drawn.flatMap(trainedWordsOf), first.description), 1));
		if (!step) return undefined;
		const cost = await deps.botOrchestrator.estimate({ step, externalId: `estimate-${Date.now()}`, tags: ['comics'], allowMatureContent: allowMature });
		return cost === undefined ? undefined : cost * plan.panels.length;
	} catch (error) {
		deps.log.warn({ err: error }, 'could not estimate the cost of a story');
		return undefined;
	}
}
