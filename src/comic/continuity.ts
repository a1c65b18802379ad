/** What the LLM rewrite of a panel is told besides the panel's own prompt: the comic around it. */
export interface PanelContext {
	/** The project's description: the comic's premise. */
	readonly description?: string | null | undefined;
	/** The names of the characters in the panel. */
	readonly characters: readonly string[];
	/** The prompts of the panels just before this one, oldest first (at most two). */
	readonly previous: readonly string[];
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The continuity part of the rewrite's instructions. */
export function continuityInstructions(context: PanelContext): string {
	const lines: string[] = [];
	if (context.description?.trim()) lines.push(`The comic is about: ${clip(context.description.trim(), 600)}.`);
	if (context.characters.length > 0)
		lines.push(
			`The characters in this panel: ${context.characters.join(', ')}. Their looks come from their own models, so do not describe their faces, hair, bodies or clothes, and add no character who is not named here.`,
		);
	if (context.previous.length > 0)
		lines.push(`For continuity, the previous panels were: ${context.previous.map((prompt, index) => `(${index + 1}) ${clip(prompt, 300)}`).join(' ')}.`);
	lines.push('Keep every element the user wrote for this panel.');
	return lines.join(' ');
}
