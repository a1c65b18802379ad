/**
 * A mistake or refusal the user may read as is: the text says what was wrong and how to fix it.
 * Anything else that reaches the interaction boundary is unexpected and shown only as a reference id.
 */
export class UserFacingError extends Error {
	/**
	 * @param when A moment the text leads up to ("You can draw again" + when): kept as data, so the
	 * interface shows it its own way (Discord: in each reader's time zone and language).
	 */
	public constructor(
		message: string,
		public readonly when?: { readonly lead: string; readonly at: Date },
	) {
		super(message);
		this.name = 'UserFacingError';
	}
}
