/**
 * Acknowledgements first. When hundreds of people draw at once, every interaction must be
 * acknowledged within Discord's 3 seconds, while the work after an acknowledgement (prompt, submission,
 * the "being drawn" edit) can wait a moment. Work that may wait asks `quiet()` and starts once no
 * interaction is waiting for its acknowledgement (or after a bound, so it is never starved).
 *
 * A command that would rather check its input before acknowledging (so a refusal is a plain private
 * reply) does so only while the bot is not `crowded()`, and stops waiting for its checks when a burst
 * begins or they take too long (`crowdedOrLate`): it acknowledges at once and finishes checking after
 * (docs/decisions/006-acknowledgements-in-a-burst.md).
 */
export class AckGate {
	/** More interactions than this waiting for their acknowledgement is a burst. */
	public static readonly CROWD = 8;

	private readonly waiting = new Set<string>();
	private whenQuiet: (() => void)[] = [];
	private readonly whenCrowded = new Set<() => void>();

	/** An interaction came in and has not been answered yet. */
	public arrive(interactionId: string): void {
		this.waiting.add(interactionId);
		if (!this.crowded()) return;
		for (const listener of this.whenCrowded) listener();
		this.whenCrowded.clear();
	}

	/** It has been answered (or its handling ended). */
	public acknowledged(interactionId: string): void {
		if (!this.waiting.delete(interactionId) || this.waiting.size > 0) return;
		const listeners = this.whenQuiet;
		this.whenQuiet = [];
		for (const listener of listeners) listener();
	}

	/** So many interactions wait for their acknowledgement that nothing else should come first. */
	public crowded(): boolean {
		return this.waiting.size > AckGate.CROWD;
	}

	/** Resolves when no interaction waits for its acknowledgement, or after `maxWaitMs`. */
	public quiet(maxWaitMs: number): Promise<void> {
		if (this.waiting.size === 0) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(resolve, maxWaitMs);
			timer.unref();
			this.whenQuiet.push(() => {
				clearTimeout(timer);
				resolve();
			});
		});
	}

	/**
	 * `reached` resolves once the bot is crowded or `maxWaitMs` have passed, whichever comes first;
	 * call `done()` when it is no longer needed.
	 */
	public crowdedOrLate(maxWaitMs: number): { readonly reached: Promise<void>; done(): void } {
		let done = (): void => {};
		const reached = new Promise<void>((resolve) => {
			if (this.crowded()) return resolve();
			const timer = setTimeout(() => done(), maxWaitMs);
			timer.unref();
			const listener = (): void => done();
			this.whenCrowded.add(listener);
			done = () => {
				clearTimeout(timer);
				this.whenCrowded.delete(listener);
				resolve();
			};
		});
		return { reached, done: () => done() };
	}
}
