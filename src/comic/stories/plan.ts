import { z } from 'zod';
import { CAPTION_MAX, DIALOGUE_MAX, STORY_PANELS_MAX, STORY_PANELS_MIN } from '../limits.ts';
import { MAX_CHARACTERS_PER_PANEL } from '../panels/mentions.ts';
import { withoutUnsafe } from '../text.ts';

/** One panel of a story as the LLM planned it. */
// The model's text loses control and broken characters before the checks: PostgreSQL refuses a NUL (P2039).
const cleanText = () => z.string().transform(withoutUnsafe);
const plannedPanelSchema = z.object({
	description: cleanText().pipe(z.string().trim().min(1).max(1000)),
	characters: z
		.array(cleanText().pipe(z.string().trim().min(1)))
		.max(MAX_CHARACTERS_PER_PANEL)
		.default([]),
	caption: cleanText().pipe(z.string().trim().max(CAPTION_MAX)).nullish(),
	dialogue: cleanText().pipe(z.string().trim().max(DIALOGUE_MAX)).nullish(),
});

export const storyPlanSchema = z.object({ panels: z.array(plannedPanelSchema).min(STORY_PANELS_MIN).max(STORY_PANELS_MAX) });
export type StoryPlanContent = z.output<typeof storyPlanSchema>;

/** The planner's instructions: a JSON object, nothing else. */
export function planInstructions(input: { description: string | null; characters: readonly string[]; panels: number | undefined }): string {
	return [
		"You plan comics. Split the user's story into panels and answer with one JSON object only, no prose, of this shape:",
		'{"panels":[{"description":"what happens and where, as an image prompt","characters":["Name"],"caption":"narration or empty","dialogue":"Name: words | Name: words, or empty"}]}.',
		input.panels ? `Use exactly ${input.panels} panels.` : `Use between ${STORY_PANELS_MIN} and ${STORY_PANELS_MAX} panels, as the story needs.`,
		input.characters.length > 0
			? `The only characters there are: ${input.characters.join(', ')}. Name them exactly so, at most ${MAX_CHARACTERS_PER_PANEL} per panel; a panel may have none.`
			: 'The comic has no named characters: leave "characters" empty.',
		"Do not describe the characters' looks: they come from their own models.",
		input.description ? `The comic is about: ${input.description}` : '',
		`Descriptions under 400 characters, captions under ${CAPTION_MAX}, dialogue under ${DIALOGUE_MAX}.`,
	]
		.filter(Boolean)
		.join(' ');
}

export type ParsedPlan = { readonly ok: true; readonly plan: StoryPlanContent } | { readonly ok: false; readonly problem: string };

/** Reads the LLM's answer: JSON (a Markdown fence around it is forgiven), the schema, and names of the project's characters only. */
export function parsePlan(answer: string, characters: readonly string[], panels: number | undefined): ParsedPlan {
	const text = answer
		.trim()
		.replace(/^```(?:json)?\s*/i, '')
		.replace(/\s*```$/, '');
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { ok: false, problem: 'the answer was not JSON' };
	}
	const parsed = storyPlanSchema.safeParse(json);
	if (!parsed.success) return { ok: false, problem: `the answer did not match the plan's shape (${z.prettifyError(parsed.error).slice(0, 300)})` };
	if (panels !== undefined && parsed.data.panels.length !== panels)
		return { ok: false, problem: `the plan had ${parsed.data.panels.length} panels instead of ${panels}` };
	const known = new Map(characters.map((name) => [name.toLowerCase(), name]));
	const unknown = new Set<string>();
	const plan = {
		panels: parsed.data.panels.map((panel) => ({
			...panel,
			characters: [
				...new Set(
					panel.characters.flatMap((name) => {
						const found = known.get(name.replace(/^@/, '').toLowerCase());
						if (!found) unknown.add(name);
						return found ? [found] : [];
					}),
				),
			],
		})),
	};
	if (unknown.size > 0) return { ok: false, problem: `the plan named characters the project does not have: ${[...unknown].join(', ')}` };
	return { ok: true, plan };
}
