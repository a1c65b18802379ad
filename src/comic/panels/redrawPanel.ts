import { recordDrawingUsage } from '../../accounts/ledger.ts';
import type { Way } from '../engines/chooseWay.ts';
import { reservedBuzz, wayOfCast } from '../engines/reserve.ts';
import { changeEngine } from '../generation/prepareChange.ts';
import { chosenTake } from '../takes/takes.ts';
import { accessFor } from '../../accounts/settings.ts';
import type { PanelWords } from '../lettering/words.ts';
import { type Db, type Drawing, lockUser } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';
import { quote } from '../names.ts';
import { checkLimits, type PanelLimits } from './checkLimits.ts';
import { insertDrawing, type PanelMessageRef } from './newDrawing.ts';
import { castOf, findOwnDrawing, STALE_PANEL, typedPrompt } from './ownDrawing.ts';
import { type Placement, placeNext, promoteAfterCreate } from './queue.ts';
import { checkPrompt } from './requestPanel.ts';

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
	const source = await findOwnDrawing(db, request.ownerId, request.drawingId);
	const { panel } = source;
	// Every character of the panel (PanelCharacter, in order): a redraw keeps all their LoRAs.
	const cast = castOf(source);
	if (cast.length === 0)
		throw new UserFacingError(
			`The character of panel ${panel.number} was removed from **${quote(panel.project.name)}**, so it cannot be drawn again. Draw a new panel with \`/comic panel\`.`,
		);
	const mature = cast.find((character) => character.nsfw);
	if (!request.allowMature && (mature || panel.allowMature))
		throw new UserFacingError(
			mature
				? `Panel ${panel.number} may show mature content (**${quote(mature.name)}** is a mature model): draw it again in an age-restricted channel.`
				: `Panel ${panel.number} may show mature content (it was drawn in an age-restricted channel): draw it again in an age-restricted channel.`,
		);
	const access = await accessFor(db, limits, request); // accounts: server settings and the user's own key
	// Drawn from pictures, it reserves its engine's price (docs/decisions/016-limits-ledger.md ("Drawings from pictures")); a cast
	// that can no longer share one way of drawing is refused here, before anything is stored.
	const changeTakeId = request.change === undefined ? null : await takeToChange(db, panel, request.allowMature);
	const way: Way =
		request.change === undefined ? await wayOfCast(db, panel.project.engine, cast) : { kind: 'pictures', engine: changeEngine(panel.project.engine) };
	const buzz = reservedBuzz(way, panel.takeCount);
	await checkLimits(db, access.limits, request, now, 1, buzz);
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
	const mature = await db.take.count({ where: { id: take.id, mature: true } });
	if (mature > 0 && !allowMature)
		throw new UserFacingError(`The picture of panel ${panel.number} may show mature content: change it in an age-restricted channel.`);
	return take.id;
}

/**
 * Stores a new drawing of the panel after taking the user's turn and checking the limits again (two
 * presses at the same instant cannot both take the last slot): leased to the caller with a free slot,
 * else waiting in the user's queue like a new panel (./queue.ts). An edit makes the
 * new prompt the panel's, so later redraws use it; each drawing keeps its own prompt for its message.
 */
export async function createRedraw(
	db: Db,
	limits: PanelLimits,
	plan: RedrawPlan,
	message: PanelMessageRef,
	lease: { owner: string; until: Date },
	now = Date.now(),
): Promise<{ drawing: Drawing; placement: Placement; promoted: string[] }> {
	return db.$transaction(async (tx) => {
		await lockUser(tx, plan.request.ownerId, new Date(now));
		// accounts: read again in the turn, and whose key pays is fixed on the drawing
		const access = await accessFor(tx, limits, plan.request);
		const buzz = plan.buzz;
		await checkLimits(tx, access.limits, plan.request, now, 1, buzz);
		const placement = await placeNext(tx, access.limits, plan.request.ownerId);
		// Deleted between the checks and now: nothing is stored.
		const panel = await tx.panel.findFirst({ where: { id: plan.panelId, ownerId: plan.request.ownerId }, select: { id: true } });
		if (!panel) throw new UserFacingError(STALE_PANEL);
		const words = plan.request.words;
		if (plan.edited || words)
			await tx.panel.update({
				where: { id: plan.panelId },
				data: { ...(plan.edited ? { prompt: plan.prompt } : {}), ...(words ? { caption: words.caption, dialogue: words.dialogue } : {}) },
			});
		const drawing = await insertDrawing(
			tx,
			{ panelId: plan.panelId, ownerId: plan.request.ownerId, guildId: plan.request.guildId, prompt: plan.prompt, paidBy: access.paidBy },
			message,
			lease,
			now,
			placement,
		);
		if (plan.request.change !== undefined)
			await tx.drawing.update({ where: { id: drawing.id }, data: { changeInstruction: plan.request.change, changeTakeId: plan.changeTakeId } });
		// The limits ledger, in the same transaction: no later delete gives this drawing back.
		const kind = plan.request.change !== undefined ? 'change' : plan.request.prompt === undefined && !words ? 'redraw' : 'edit';
		const { ownerId: userId, guildId } = plan.request;
		await recordDrawingUsage(tx, { drawingId: drawing.id, userId, guildId, kind, paidBy: access.paidBy, buzzEstimated: buzz }, now);
		// Older waiting drawings with a free slot (a crash left them): they start first, in order.
		const promoted = placement.status === 'waiting' ? await promoteAfterCreate(tx, access.limits, plan.request.ownerId, now) : [];
		return { drawing, placement, promoted };
	});
}
