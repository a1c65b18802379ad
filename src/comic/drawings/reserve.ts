import { estimateLoraBuzz } from '../../accounts/ledger.ts';
import type { Tx, Db } from '../../db/database.ts';
import { pictureCounts } from '../pictures/pictureCharacters.ts';
import { chooseWay, type Way } from '../engines/chooseWay.ts';
import type { Engine } from '../engines/engines.ts';

/**
 * The Buzz a drawing reserves in the limits ledger when it is admitted, before any whatif: a LoRA
 * drawing ~10 a picture (estimateLoraBuzz), a drawing from pictures its engine's published price a
 * picture (`reserveBuzz`) × the takes it will ask for. Conservative on purpose: an engine picture
 * counted as 10 until its whatif let one user start many 104-Buzz panels past every budget.
 * See docs/decisions/016-limits-ledger.md ("Drawings from pictures").
 */
export function reservedBuzz(way: Way | undefined, takes: number): number {
	return way?.kind === 'pictures' ? engineBuzz(way.engine, takes) : estimateLoraBuzz(takes);
}

/** An engine's reservation for `takes` pictures (capped at what it draws in one request, as its input is). */
function engineBuzz(engine: Pick<Engine, 'reserveBuzz' | 'maxTakes'>, takes: number): number {
	return engine.reserveBuzz * Math.max(1, Math.min(engine.maxTakes, Math.trunc(takes)));
}

/** How a cast is drawn in a project (the engine setting, the characters' LoRAs and pictures); one query when pictures can matter. */
export async function wayOfCast(
	db: Db | Tx,
	projectEngine: string,
	cast: readonly { readonly id: string; readonly name: string; readonly lora: boolean }[],
): Promise<Way> {
	if (projectEngine === 'auto' && cast.every((character) => character.lora)) return { kind: 'checkpoint' };
	const counts = await pictureCounts(
		db,
		cast.map((character) => character.id),
	);
	return chooseWay(
		projectEngine,
		cast.map((character) => ({ name: character.name, lora: character.lora, pictures: counts.get(character.id) ?? 0 })),
	);
}
