import { UserFacingError } from '../errors.ts';

/** A render that found every slot taken for its whole wait: the user is told when to try again. */
export class RendersBusy extends UserFacingError {}

/**
 * The process-wide bound on free but heavy work (exports, reader pages, contact sheets, lettering new
 * words): each holds libvips threads and tens of megabytes of pixels, and costs the operator nothing
 * per call, so without a bound a few users could take the whole machine. At most `max` run at once;
 * one more waits up to `waitMs` for a slot, in arrival order, then is refused with "busy, try again".
 * Kept in memory on purpose: it bounds this process's CPU and memory, which is what runs out.
 */
export class RenderSlots {
	private running = 0;
	private readonly waiting: (() => void)[] = [];

	public constructor(
		private readonly max: number,
		private readonly waitMs: number,
	) {}

	/** Runs `work` in a slot; throws {@link RendersBusy} when none frees within the wait. */
	public async run<T>(work: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await work();
		} finally {
			this.release();
		}
	}

	/** Renders running now (for tests and metrics). */
	public get busy(): number {
		return this.running;
	}

	private acquire(): Promise<void> {
		if (this.running < this.max) {
			this.running++;
			return Promise.resolve();
		}
		return new Promise<void>((resolve, reject) => {
			const granted = () => {
				clearTimeout(timer);
				resolve();
			};
			const timer = setTimeout(() => {
				const at = this.waiting.indexOf(granted);
				if (at !== -1) this.waiting.splice(at, 1);
				reject(new RendersBusy(`The bot is busy making other comics' pictures right now. Try again in ${this.retrySeconds()} s.`));
			}, this.waitMs);
			timer.unref();
			this.waiting.push(granted);
		});
	}

	private release(): void {
		const next = this.waiting.shift();
		// The slot passes straight to the next waiter: `running` stays the same.
		if (next) next();
		else this.running--;
	}

	/** A render usually takes a few seconds: a wait as long as the one just spent, at least five seconds. */
	private retrySeconds(): number {
		return Math.max(5, Math.ceil(this.waitMs / 1000));
	}
}
