import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const EXTENSIONS: Readonly<Record<string, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' };

export function extensionFor(mime: string): string {
	return EXTENSIONS[mime.split(';')[0]?.trim().toLowerCase() ?? ''] ?? 'png';
}

/**
 * Keeps panel images on disk under `DATA_DIR/panels`. The orchestrator's URLs expire within
 * minutes, so the bytes are copied here as soon as a workflow succeeds.
 */
export class ImageStore {
	private readonly root: string;

	public constructor(dataDir: string) {
		this.root = resolve(dataDir, 'panels');
	}

	/** Writes atomically (temp file + rename): a crash never leaves half an image behind a path. */
	public async save(panelId: string, data: Buffer, mime: string): Promise<string> {
		await mkdir(this.root, { recursive: true });
		const name = `${panelId}.${extensionFor(mime)}`;
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
}
