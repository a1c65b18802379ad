import { access, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const EXTENSIONS: Readonly<Record<string, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' };

export function extensionFor(mime: string): string {
	return EXTENSIONS[mime.split(';')[0]?.trim().toLowerCase() ?? ''] ?? 'png';
}

/**
 * Keeps panel images on disk under `DATA_DIR/panels`. The orchestrator's URLs expire within
 * minutes, so the bytes are copied here as soon as a workflow succeeds. Which file is whose is the
 * caller's (src/comic/takes/): a take's picture, its lettered copy.
 */
export class ImageStore {
	private readonly root: string;

	public constructor(dataDir: string) {
		this.root = resolve(dataDir, 'panels');
	}

	/**
	 * Writes `baseName` plus the extension of `mime` (a take's picture is named after its drawing and
	 * index, a lettered copy after the take and its words) and returns that file name. Atomic (temp file
	 * + rename): a crash never leaves half an image behind a name.
	 */
	public async save(baseName: string, data: Buffer, mime: string): Promise<string> {
		await mkdir(this.root, { recursive: true });
		const name = `${baseName}.${extensionFor(mime)}`;
		const temp = join(this.root, `.${name}.${process.pid}.tmp`);
		await writeFile(temp, data);
		await rename(temp, join(this.root, name));
		return name;
	}

	public async has(name: string): Promise<boolean> {
		try {
			await access(join(this.root, name));
			return true;
		} catch {
			return false;
		}
	}

	public async read(name: string): Promise<Buffer> {
		return readFile(join(this.root, name));
	}

	/** Removes files by name; one already gone is fine. Returns how many were removed. */
	public async remove(names: Iterable<string>): Promise<number> {
		let removed = 0;
		for (const name of new Set(names)) {
			// A name comes from a row: never a path that leaves the folder.
			if (name.includes('/') || name.includes('\\') || name === '' || name === '.' || name === '..') continue;
			try {
				await unlink(join(this.root, name));
				removed++;
			} catch (error) {
				if (!isMissing(error)) throw error;
			}
		}
		return removed;
	}

	/** Every file in the folder (temporary files of interrupted writes too) with its last change, in epoch ms. */
	public async list(): Promise<{ name: string; modifiedAt: number; bytes: number }[]> {
		let names: string[];
		try {
			names = await readdir(this.root);
		} catch (error) {
			if (isMissing(error)) return [];
			throw error;
		}
		const files: { name: string; modifiedAt: number; bytes: number }[] = [];
		for (const name of names) {
			try {
				const info = await stat(join(this.root, name));
				if (info.isFile()) files.push({ name, modifiedAt: info.mtimeMs, bytes: info.size });
			} catch (error) {
				if (!isMissing(error)) throw error;
			}
		}
		return files;
	}
}

function isMissing(error: unknown): boolean {
	return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
