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
 *
 * Who answers is the dispatcher's to know, not each handler's: it hands every handler an interaction whose
 * acknowledging calls mark it answered here the moment Discord took the answer (`watch`), so a command that
 * defers and then works for a minute (an export, a story plan) stops counting as waiting at once
 * (docs/decisions/025-typed-commands-and-acknowledgements.md). The same calls wait for the interaction to
 * be stored in the inbox, so its handler may start checking while it is written.
 */
export class AckGate {
	/** More interactions than this waiting for their acknowledgement is a burst. */
	public static readonly CROWD = 8;

	/** The calls of a discord.js interaction that acknowledge it: the first of them answers it. */
	private static readonly ACKNOWLEDGING = ['reply', 'deferReply', 'update', 'deferUpdate', 'showModal'] as const;

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

	/**
	 * Makes the interaction's acknowledging calls mark it answered as soon as each settles (taken by Discord, or
	 * refused: either way nothing is waiting for it any more), wrapping them on this one object so every handler,
	 * helper and the error boundary that answers through it is counted, with nothing to remember by hand.
	 */
	public watch(interaction: { readonly id: string }, stored?: Promise<unknown>): void {
		for (const name of AckGate.ACKNOWLEDGING) {
			const call: unknown = Reflect.get(interaction, name);
			if (typeof call !== 'function') continue;
			// An own property shadows the class's method for this interaction only; `this` stays the interaction.
			Object.defineProperty(interaction, name, {
				configurable: true,
				writable: true,
				value: (...args: unknown[]): Promise<unknown> =>
					// Never before the interaction is stored (the inbox, docs/decisions/022-inbox.md): the handler's checks
					// run while it is written, the acknowledgement waits for it.
					Promise.resolve(stored)
						.then(() => Reflect.apply(call, interaction, args))
						.finally(() => this.acknowledged(interaction.id)),
			});
		}
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
