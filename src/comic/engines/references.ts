import type { Payer } from '../../accounts/orchestratorForUser.ts';
import type { Orchestrator } from '../../civitai/orchestrator.ts';
import type { Db } from '../../db/database.ts';
import { HttpError } from '../../net/httpError.ts';
import type { Log } from '../../log.ts';

/** A blob URL is used when it still has this long to live; else it is refreshed first. */
const URL_MARGIN_MS = 60 * 60 * 1000;
/** How long a URL is trusted when the store did not say (its TTL is 30 days; its signature may be shorter). */
const UNKNOWN_EXPIRY_MS = 2 * 60 * 60 * 1000;

/**
 * Reference uploads running at once in this process. An upload holds its picture's bytes (read from the
 * database for it, up to a few MB at 2048 px) until the blob store answers, and a command starts its
 * drawing's first step at once, outside the job runner's bound: without this, a burst of panels of new
 * picture characters would hold every one of their pictures at once (docs/decisions/031-memory.md).
 * Each upload is bounded by the orchestrator's timeout, so the wait is too; the drawing's lease is renewed
 * meanwhile. Kept in memory on purpose: it bounds this process's memory, which is what runs out.
 */
export const UPLOADS_AT_ONCE = 8;

/** At most `max` pieces of work at once, the others waiting in arrival order. */
export class UploadSlots {
	private running = 0;
	private readonly waiting: (() => void)[] = [];

	public constructor(private readonly max: number) {}

	public async run<T>(work: () => Promise<T>): Promise<T> {
		if (this.running < this.max) this.running++;
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
		try {
			return await work();
		} finally {
			const next = this.waiting.shift();
			// The slot passes straight to the next waiter: `running` stays the same.
			if (next) next();
			else this.running--;
		}
	}
}

const uploads = new UploadSlots(UPLOADS_AT_ONCE);

export interface CharacterReferences {
	readonly characterId: string;
	/** Signed URLs of its pictures, in order. */
	readonly urls: string[];
}

/** The blob store refused a picture (its moderation, 422; or it is unsupported): the drawing cannot use it. */
export class ReferenceRefusedError extends Error {
	public constructor(
		public readonly characterId: string,
		public readonly status: number,
	) {
		super(`the blob store refused a reference picture (${status})`);
		this.name = 'ReferenceRefusedError';
	}
}

/**
 * Signed URLs for the reference pictures of these characters, at most `max` in all: each character's
 * first picture before anyone's second. The database holds each picture's bytes (the source of truth,
 * readable by any process on any host); the orchestrator's blob is a cache: used while its URL lives,
 * refreshed when it is near its end, uploaded again from the bytes when the store has forgotten it.
 * The bytes are read only for an upload, one picture at a time (no panel holds its references in memory).
 * Blobs are refreshed and uploaded with the client of the drawing's `payer`, the key that will submit it.
 */
export async function referenceUrls(
	deps: { db: Db; log: Log },
	payer: Payer,
	characterIds: readonly string[],
	max: number,
	now: number,
): Promise<CharacterReferences[]> {
	const rows = await deps.db.characterPicture.findMany({
		where: { characterId: { in: [...characterIds] } },
		orderBy: { position: 'asc' },
		select: { id: true, characterId: true, position: true, blobId: true, blobUrl: true, blobUrlExpiresAt: true },
	});
	const chosen = new Set<string>();
	const byCharacter = characterIds.map((id) => rows.filter((row) => row.characterId === id));
	for (let position = 0; chosen.size < max; position++) {
		const round = byCharacter.flatMap((list) => list[position] ?? []);
		if (round.length === 0) break;
		for (const row of round) if (chosen.size < max) chosen.add(row.id);
	}
	const result: CharacterReferences[] = characterIds.map((characterId) => ({ characterId, urls: [] }));
	for (const [index, list] of byCharacter.entries()) {
		for (const row of list) {
			if (!chosen.has(row.id)) continue;
			result[index]?.urls.push(await usableUrl(deps, payer, row, now));
		}
	}
	return result;
}

type PictureRow = { id: string; characterId: string; blobId: string | null; blobUrl: string | null; blobUrlExpiresAt: Date | null };

async function usableUrl(deps: { db: Db; log: Log }, payer: Payer, row: PictureRow, now: number): Promise<string> {
	if (row.blobUrl && row.blobUrlExpiresAt && row.blobUrlExpiresAt.getTime() - now > URL_MARGIN_MS) return row.blobUrl;
	if (row.blobId) {
		try {
			const fresh = await payer.orchestrator.refreshBlob(row.blobId);
			await remember(deps.db, row.id, fresh.id, fresh.url, fresh.expiresAt, now);
			return fresh.url;
		} catch (error) {
			// Forgotten by the store (past its TTL) or not this key's: upload again from the bytes.
			if (!(error instanceof HttpError) || ![403, 404, 410].includes(error.status)) throw error;
			deps.log.info({ pictureId: row.id, status: error.status }, 'reference blob gone: uploading it again');
		}
	}
	// The bytes are read inside the slot, so only the uploads running hold theirs.
	const blob = await uploads.run(async (): Promise<Awaited<ReturnType<Orchestrator['uploadBlob']>>> => {
		const picture = await deps.db.characterPicture.findUnique({ where: { id: row.id }, select: { data: true } });
		if (!picture) throw new Error('a reference picture was removed while the panel was being prepared');
		try {
			// A view of the bytes as read, not a copy of them.
			return await payer.orchestrator.uploadBlob(Buffer.from(picture.data.buffer, picture.data.byteOffset, picture.data.byteLength), 'image/jpeg');
		} catch (error) {
			if (error instanceof HttpError && [400, 413, 415, 422].includes(error.status)) throw new ReferenceRefusedError(row.characterId, error.status);
			throw error;
		}
	});
	await remember(deps.db, row.id, blob.id, blob.url, blob.expiresAt, now);
	deps.log.info({ pictureId: row.id, blobId: blob.id }, 'reference picture uploaded');
	return blob.url;
}

async function remember(db: Db, pictureId: string, blobId: string, url: string, expiresAt: Date | undefined, now: number): Promise<void> {
	// The row may be gone (new pictures given meanwhile): this drawing still uses the URL it got.
	await db.characterPicture.updateMany({
		where: { id: pictureId },
		data: { blobId, blobUrl: url, blobUrlExpiresAt: expiresAt ?? new Date(now + UNKNOWN_EXPIRY_MS) },
	});
}
