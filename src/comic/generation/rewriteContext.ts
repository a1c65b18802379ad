import { continuityInstructions } from '../continuity.ts';
import { findMentions } from '../panels/mentions.ts';
import type { GenerationDeps } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';

/**
 * What the LLM is told besides the prompt, for any way of drawing: the project's description, who is in
 * the panel, and the two panels before it (as typed, `@Name` read as the name), so panels follow on.
 */
export async function rewriteContext(deps: Pick<GenerationDeps, 'db'>, drawing: DrawingSubject): Promise<string> {
	const previous = await deps.db.panel.findMany({
		where: { projectId: drawing.panel.projectId, number: { lt: drawing.panel.number } },
		orderBy: { number: 'desc' },
		take: 2,
		select: { prompt: true },
	});
	return continuityInstructions({
		description: drawing.project.description,
		characters: drawing.characters.map((character) => character.name),
		previous: previous.reverse().map((panel) => findMentions(panel.prompt, drawing.characters).text),
	});
}
