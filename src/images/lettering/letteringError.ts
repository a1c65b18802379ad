export type LetteringProblem = 'too-long' | 'does-not-fit' | 'unsupported-characters';

/**
 * Words that cannot be lettered on a picture. The message is plain and safe to show to the user who typed
 * them (it quotes only their own words and numbers); `problem` lets a caller choose its own wording.
 */
export class LetteringError extends Error {
	public override readonly name = 'LetteringError';

	public constructor(
		public readonly problem: LetteringProblem,
		message: string,
		/** For `does-not-fit`: about how many characters fit on this picture. */
		public readonly charactersThatFit?: number,
		/** For `unsupported-characters`: the characters no shipped font can draw. */
		public readonly characters?: readonly string[],
	) {
		super(message);
	}
}
