/**
 * Acknowledgements first. When hundreds of people draw at once, every interaction must be
 * acknowledged within Discord's 3 seconds, while the work after an acknowledgement (prompt, submission,
 * the "being drawn" edit) can wait a moment. Work that may wait asks `quiet()` and starts once no
 * interaction is waiting for its acknowledgement (or after a bound, so it is never starved).
 */
export class AckGate {
	private readonly waiting = new Set<string>();
	private listeners: (() => void)[] = [];

	/** An interaction came in and has not been answered yet. */
	public arrive(interactionId: string): void {
		this.waiting.add(interactionId);
	}

	/** It has been answered (or its handling ended). */
	public acknowledged(interactionId: string): void {
		if (!this.waiting.delete(interactionId) || this.waiting.size > 0) return;
		const listeners = this.listeners;
		this.listeners = [];
		for (const listener of listeners) listener();
	}

	public get pending(): number {
		return this.waiting.size;
	}

	/** Resolves when no interaction waits for its acknowledgement, or after `maxWaitMs`. */
	public quiet(maxWaitMs: number): Promise<void> {
		if (this.waiting.size === 0) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(resolve, maxWaitMs);
			timer.unref();
			this.listeners.push(() => {
				clearTimeout(timer);
				resolve();
			});
		});
	}
}
