import type { Db } from '../../db/database.ts';
import type { Way } from '../engines/chooseWay.ts';
import { followFits } from '../engines/follow.ts';
import { UserFacingError } from '../errors.ts';
import { quote } from '../names.ts';

/**
 * `/comic panel follow:` (issue 21): the panel of the same project, by number, whose chosen take goes in
 * as a reference picture after the characters' ("same place, next moment"). Refused in plain words,
 * before anything is stored: no such panel in this project, a panel without a picture yet, a mature
 * picture outside an age-restricted channel, a panel drawn with a LoRA (its checkpoint takes no pictures:
 * decided in docs/decisions/028-follow.md, rather than switching the panel to another engine behind the
 * user's back), or an engine without room for one more picture.
 */
export async function checkFollow(
	db: Db,
	project: { readonly id: string; readonly name: string },
	number: number | null | undefined,
	way: Way,
	characters: number,
	allowMature: boolean,
): Promise<string | null> {
	if (number === null || number === undefined) return null;
	const panel = await db.panel.findUnique({
		where: { projectId_number: { projectId: project.id, number } },
		select: { id: true, takes: { where: { chosen: true }, select: { mature: true }, take: 1 } },
	});
	if (!panel)
		throw new UserFacingError(
			`**${quote(project.name)}** has no panel ${number} to follow. Pick one of its ready panels from the list (\`/comic project show\` shows them).`,
		);
	const [picture] = panel.takes;
	if (!picture) throw new UserFacingError(`Panel ${number} has no picture yet, so it cannot be followed. Wait until it is ready, or follow another panel.`);
	if (picture.mature && !allowMature)
		throw new UserFacingError(`Panel ${number}'s picture is shown only in age-restricted channels, so it can be followed only there.`);
	if (way.kind === 'checkpoint')
		throw new UserFacingError(
			`\`follow\` adds panel ${number}'s picture as a reference, and this panel is drawn with a LoRA on its checkpoint, which takes no pictures. Draw it without \`follow\`, or give the project a picture engine with \`/comic project edit engine:\`.`,
		);
	if (!followFits(way.engine, characters))
		throw new UserFacingError(
			`**${way.engine.label}** takes at most ${way.engine.maxImages} pictures per panel: ${characters} for the characters and one for panel ${number} are too many. Leave a character out, or draw it without \`follow\`.`,
		);
	return panel.id;
}
