/**
 * A mistake or refusal the user may read as is: the text says what was wrong and how to fix it.
 * Anything else that reaches the interaction boundary is unexpected and shown only as a reference id.
 */
export class UserFacingError extends Error {
	public constructor(message: string) {
		super(message);
		this.name = 'UserFacingError';
	}
}
