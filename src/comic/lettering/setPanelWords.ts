import { sizeOf, type Size } from '../../images/index.ts';
import { baseModelGroup, GENERATION_DEFAULTS } from '../baseModels.ts';
import type { GenerationDeps } from '../generation/deps.ts';
import { panelCost, viewOf } from '../generation/deliver.ts';
import { drawingToShow } from '../generation/drawingSubject.ts';
import { noSuchPanel } from '../panels/order.ts';
import { checkPanelNumber } from '../panels/panelNumber.ts';
import { type Actor, findProject } from '../access.ts';
import { payerOf } from '../takes/payer.ts';
import { ensureImage, picturesToShow } from '../takes/pictures.ts';
import { chosenTake } from '../takes/takes.ts';
import { takeRerenderTurn } from './rerenderCooldown.ts';
import { checkWords, type PanelWords } from './words.ts';

/**
 * The words a change would give one of the owner's panels, checked on the panel's own picture; nothing
 * is stored. An Edit that also draws stores them in the transaction that admits its drawing.
 */
export async function checkPanelWords(
	deps: GenerationDeps,
	actor: Actor,
	projectRef: string,
	number: number,
	change: { caption?: string | null | undefined; dialogue?: string | null | undefined },
) {
	checkPanelNumber(number);
	// Lettering is drawing work: the owner's and the editors' (src/comic/access.ts).
	const project = await findProject(deps.db, actor, projectRef, 'draw');
	const panel = await deps.db.panel.findUnique({
		where: { projectId_number: { projectId: project.id, number } },
		select: { id: true, caption: true, dialogue: true, character: { select: { baseModel: true } } },
	});
	if (!panel) throw noSuchPanel(number, await deps.db.panel.count({ where: { projectId: project.id } }));
	const take = await chosenTake(deps.db, panel.id);
	// The picture is fetched again, when this host lacks it, with the key of the drawing's payer.
	const payer = take ? await payerOf(deps, take.drawing) : undefined;
	let size = drawnSize(panel.character?.baseModel);
	if (take && payer) {
		await ensureImage(payer, deps.images, take);
		size = take.width !== null && take.height !== null ? { width: take.width, height: take.height } : await sizeOf(await deps.images.read(take.imagePath));
	}
	const cleared = change.caption == null && change.dialogue == null;
	const pick = (typed: string | null | undefined, kept: string | null) => (cleared || typed === CLEAR ? null : (typed ?? kept));
	const words = await checkWords({ caption: pick(change.caption, panel.caption), dialogue: pick(change.dialogue, panel.dialogue) }, size);
	return { project, panel, take, words, payer };
}

/** Typed in an option to clear that part of the words. */
export const CLEAR = '-';

/** What a model of this base model draws, for words checked before there is a picture. */
export function drawnSize(baseModel: string | undefined): Size {
	const group = baseModel === undefined ? undefined : baseModelGroup(baseModel);
	const defaults = GENERATION_DEFAULTS[group ?? 'SDXL'];
	return { width: defaults.width, height: defaults.height };
}

export interface WordsSet {
	readonly number: number;
	readonly words: PanelWords;
	/** `shown`: the panel message shows the new lettering; `later`: the panel is not drawn yet, its delivery letters it; `not-shown`: Discord refused the edit. */
	readonly message: 'shown' | 'later' | 'not-shown';
}

/**
 * Sets the words of one of the owner's panels and letters its picture again: no drawing, no Buzz. An
 * option left out keeps that part, `-` clears it; both left out clear all words. The words are checked
 * on the panel's own picture before anything is stored. The panel's message (the drawing its chosen
 * take belongs to) is edited through the messenger: the interaction token while it lives, else the bot token.
 */
export async function setPanelWords(
	deps: GenerationDeps,
	actor: Actor,
	projectRef: string,
	number: number,
	change: { caption?: string | null | undefined; dialogue?: string | null | undefined },
): Promise<WordsSet> {
	const { project, panel, take, words, payer } = await checkPanelWords(deps, actor, projectRef, number, change);
	const drawing = take ? await drawingToShow(deps.db, take.drawingId) : undefined;
	const shown = take && drawing && drawing.status === 'ready' && drawing.delivery === 'delivered' ? drawing : undefined;
	const store = async () => {
		// Free but heavy: a turn per RERENDER_COOLDOWN_SECONDS, taken before anything is stored.
		await takeRerenderTurn(deps.db, actor.userId, deps.rerenderCooldownMs ?? 0);
		await deps.db.panel.update({ where: { id: panel.id }, data: { caption: words.caption, dialogue: words.dialogue } });
		deps.log.info({ panelId: panel.id, projectId: project.id }, 'panel words set');
		return shown && payer ? picturesToShow(deps, payer, shown, words) : [];
	};
	// A lettering takes one of the process's render slots, from before the words are stored: a busy
	// refusal stores nothing.
	const pictures = await (shown && deps.renders ? deps.renders.run(store) : store());
	// Not shown yet: the drawing's own delivery letters the words it finds then.
	if (!shown) return { number, words, message: 'later' };
	// A story's panel is shown in its story's one message: that message is edited instead.
	if (shown.panel.storyId) {
		const story = deps.storyMessenger ? await deps.storyMessenger(shown.panel.storyId) : undefined;
		return { number, words, message: story?.ok ? 'shown' : 'not-shown' };
	}
	// A new write, not a repeat of an interrupted delivery: the message is not read first.
	const result = await deps.messenger(viewOf({ ...shown, deliveryStartedAt: null }, pictures, await panelCost(deps, shown.panelId)));
	if (!result.ok) {
		deps.log.warn({ drawingId: shown.id, reason: result.reason }, 'could not show the new lettering');
		return { number, words, message: 'not-shown' };
	}
	if (result.messageId && result.messageId !== shown.messageId)
		await deps.db.drawing.updateMany({ where: { id: shown.id }, data: { messageId: result.messageId } });
	return { number, words, message: 'shown' };
}
