import { UserFacingError } from '../errors.ts';
import { quote } from '../names.ts';

/**
 * Channel safety, the one rule of every way of drawing: what may be mature (a character on a mature
 * model, a panel first drawn in an age-restricted channel, a take judged mature) is drawn only in an
 * age-restricted guild channel, never in a DM or an ordinary channel. The refusals name what is mature
 * and where to draw it instead; nothing is stored before they pass.
 */
type CastMember = { readonly name: string; readonly nsfw: boolean };

/** A new panel's or a story's cast. */
export function checkCast(cast: readonly CastMember[], allowMature: boolean, what: 'panel' | 'story'): void {
	if (allowMature) return;
	const mature = cast.find((character) => character.nsfw);
	if (!mature) return;
	throw new UserFacingError(
		what === 'panel'
			? `**${quote(mature.name)}** uses a model marked as mature, so it can only be drawn in an age-restricted channel.`
			: `**${quote(mature.name)}** uses a model marked as mature, so this story can only be drawn in an age-restricted channel.`,
	);
}

/** A panel drawn again (Redraw, Edit, Change): its cast, and whether it was first drawn where mature content is allowed. */
export function checkPanelAgain(panel: { readonly number: number; readonly allowMature: boolean }, cast: readonly CastMember[], allowMature: boolean): void {
	if (allowMature) return;
	const mature = cast.find((character) => character.nsfw);
	if (!mature && !panel.allowMature) return;
	throw new UserFacingError(
		mature
			? `Panel ${panel.number} may show mature content (**${quote(mature.name)}** is a mature model): draw it again in an age-restricted channel.`
			: `Panel ${panel.number} may show mature content (it was drawn in an age-restricted channel): draw it again in an age-restricted channel.`,
	);
}

/** The picture a Change starts from. */
export function checkTakeToChange(panel: { readonly number: number }, matureTake: boolean, allowMature: boolean): void {
	if (matureTake && !allowMature)
		throw new UserFacingError(`The picture of panel ${panel.number} may show mature content: change it in an age-restricted channel.`);
}
