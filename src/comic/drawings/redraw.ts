import type { Db, Drawing } from '../../db/database.ts';
import type { Way } from '../engines/chooseWay.ts';
import { UserFacingError } from '../errors.ts';
import { changeEngine } from '../generation/prepareChange.ts';
import { chosenTake } from '../takes/takes.ts';
import type { PanelWords } from '../lettering/words.ts';
import { quote } from '../names.ts';
import { type Admission, admit, checkAdmission } from './admit.ts';
import { checkPanelAgain, checkTakeToChange } from './channelSafety.ts';
import type { PanelLimits } from './checkLimits.ts';
import type { DrawingMessageRef } from './newDrawing.ts';
import { checkPrompt } from './newPanel.ts';
import { castOf, findOwnDrawing, STALE_PANEL, typedPrompt } from './ownDrawing.ts';
import type { Placement } from './queue.ts';
import { reservedBuzz, wayOfCast } from './reserve.ts';

export interface RedrawRequest {
	readonly ownerId: string;
	/** The drawing whose message the button was pressed on. */
	readonly drawingId: string;
	/** An Edit's new prompt; undefined draws the same prompt again. */
	readonly prompt?: string | undefined;
	/**
	 * An Edit's new words, already checked: stored in the transaction that admits the drawing, so an
	 * Edit the limits refuse changes nothing.
	 */
	readonly words?: PanelWords | undefined;
	/** A Change's instruction (issue 21): the panel's chosen take is redrawn by an edit engine. */
	readonly change?: string | undefined;
	readonly guildId: string | null;
	/** Whether the channel it is pressed in is age-restricted. */
	readonly allowMature: boolean;
}

export interface RedrawPlan {
	readonly request: RedrawRequest;
	readonly panelId: string;
	readonly number: number;
	readonly prompt: string;
	/** Whether the prompt changes (an Edit with other words): the panel then keeps the new one. */
	readonly edited: boolean;
	/** Pictures per drawing (the panel's takes). */
	readonly takes: number;
	/** A Change: the take it changes (the panel's picture when it was pressed). */
	readonly changeTakeId: string | null;
	/** The Buzz it reserves in the ledger: by the way it will be drawn (a LoRA or an engine) × takes. */
	readonly buzz: number;
}

/**
 * Everything a redraw or an edit can be refused for, checked before anything is stored: the button is
 * the owner's and not stale, the prompt is fine, the character is still there and may be drawn in this
 * channel, and the limits of a new panel allow one more drawing.
 */
export async function planRedraw(db: Db, limits: PanelLimits, request: RedrawRequest, now = Date.now()): Promise<RedrawPlan> {
	const prompt = request.prompt === undefined ? undefined : checkPrompt(request.prompt);
	const source = await findOwnDrawing(db, { userId: request.ownerId, guildId: request.guildId }, request.drawingId);
	const { panel } = source;
	// Every character of the panel (PanelCharacter, in order): a redraw keeps all their LoRAs.
	const cast = castOf(source);
	if (cast.length === 0)
		throw new UserFacingError(
			`The character of panel ${panel.number} was removed from **${quote(panel.project.name)}**, so it cannot be drawn again. Draw a new panel with \`/comic panel\`.`,
		);
	checkPanelAgain(panel, cast, request.allowMature);
	// Access (server settings, the user's own key), then the reservation: drawn from pictures, it reserves its
	// engine's price (docs/decisions/016-limits-ledger.md ("Drawings from pictures")); a cast that can no longer
	// share one way of drawing is refused here, before anything is stored.
	let changeTakeId: string | null = null;
	const { buzz } = await checkAdmission(db, limits, request, now, 1, async () => {
		if (request.change !== undefined) changeTakeId = await takeToChange(db, panel, request.allowMature);
		const way: Way =
			request.change === undefined ? await wayOfCast(db, panel.project.engine, cast) : { kind: 'pictures', engine: changeEngine(panel.project.engine) };
		return reservedBuzz(way, panel.takeCount);
	});
	const current = typedPrompt(source);
	return {
		request,
		panelId: panel.id,
		number: panel.number,
		prompt: prompt ?? current,
		edited: prompt !== undefined && prompt !== panel.prompt,
		takes: panel.takeCount,
		changeTakeId,
		buzz,
	};
}

/** The picture a Change starts from: the panel's chosen take, which this channel may show. */
async function takeToChange(db: Db, panel: { id: string; number: number }, allowMature: boolean): Promise<string> {
	const take = await chosenTake(db, panel.id);
	if (!take) throw new UserFacingError(`Panel ${panel.number} has no picture to change yet.`);
	checkTakeToChange(panel, (await db.take.count({ where: { id: take.id, mature: true } })) > 0, allowMature);
	return take.id;
}

/**
 * Stores a new drawing of the panel, admitted like every drawing (./admit.ts: the user's turn, the
 * limits again, so two presses at the same instant cannot both take the last slot): leased to the
 * caller with a free slot, else waiting in the user's queue like a new panel (./queue.ts). An edit makes
 * the new prompt the panel's, so later redraws use it; each drawing keeps its own prompt for its message.
 */
export async function createRedraw(
	db: Db,
	limits: PanelLimits,
	plan: RedrawPlan,
	message: DrawingMessageRef,
	lease: { owner: string; until: Date },
	now = Date.now(),
): Promise<{ drawing: Drawing; placement: Placement; promoted: readonly string[] }> {
	const admitted = await admit(db, limits, redrawAdmission(plan), message, lease, now);
	const [drawing] = admitted.drawings;
	if (!drawing) throw new Error('a redraw admitted without its drawing');
	return { drawing, placement: admitted.placement, promoted: admitted.promoted };
}

/** What a Redraw, an Edit or a Change stores: the panel's new prompt and words (an Edit), and a drawing of it. */
function redrawAdmission(plan: RedrawPlan): Admission<null> {
	const { request } = plan;
	const words = request.words;
	return {
		ownerId: request.ownerId,
		kind: request.change !== undefined ? 'change' : request.prompt === undefined && !words ? 'redraw' : 'edit',
		reserve: () => ({ guildId: request.guildId, buzz: [plan.buzz] }),
		async store(tx) {
			// Deleted between the checks and now: nothing is stored.
			const panel = await tx.panel.findFirst({ where: { id: plan.panelId }, select: { id: true } });
			if (!panel) throw new UserFacingError(STALE_PANEL);
			if (plan.edited || words)
				await tx.panel.update({
					where: { id: plan.panelId },
					data: { ...(plan.edited ? { prompt: plan.prompt } : {}), ...(words ? { caption: words.caption, dialogue: words.dialogue } : {}) },
				});
			const change = request.change !== undefined ? { changeInstruction: request.change, changeTakeId: plan.changeTakeId } : {};
			return { drawings: [{ panelId: plan.panelId, prompt: plan.prompt, ...change }], content: null };
		},
	};
}
