import { z } from 'zod';

/**
 * Discord refuses a `custom_id` longer than this.
 * @see https://discord.com/developers/docs/components/reference#anatomy-of-a-component-custom-id
 */
export const CUSTOM_ID_MAX = 100;
const SEPARATOR = ':';

/** What one `:`-separated part of a custom id may hold, read back from its text with zod. */
export const arg = {
	/** A database id (8-4-4-4-12 hex digits). */
	uuid: () => z.guid(),
	/** A safe integer written in decimal, with no sign on zero and no leading zeros. */
	int: () =>
		z
			.string()
			.regex(/^(0|-?[1-9]\d*)$/)
			.transform(Number)
			.pipe(z.int()),
	/** A Discord snowflake (a channel's or message's id). */
	snowflake: () => z.string().regex(/^[1-9]\d{15,19}$/),
	/** Any non-empty text without the separator. */
	text: () => z.string().regex(/^[^:]+$/),
	/** One of a few fixed words (an action). */
	oneOf: <const T extends readonly [string, ...string[]]>(...values: T) => z.enum(values),
};

/**
 * Every family of buttons and modals, by prefix, with the arguments its custom id carries. One table, so
 * two families never claim the same prefix. A prefix and its arguments outlive the bot version that
 * wrote them (messages in servers keep their buttons): change them only in ways that still read old ids.
 */
const FAMILIES = {
	/** Delete / Cancel of `/comic project delete`'s confirmation: `project-delete:confirm|cancel:<projectId>`. */
	'project-delete': z.tuple([arg.oneOf('confirm', 'cancel'), arg.uuid()]),
	/** Draw all / Cancel under a story plan, and Cancel story on the story's message: `story:draw|cancel:<storyId>`. */
	story: z.tuple([arg.oneOf('draw', 'cancel'), arg.uuid()]),
	/** The buttons of a panel message, by the drawing it shows: `panel:<action>:<drawingId>` (`draw`: the owner's OK above confirm_above; `character`: Make a character from its picture). */
	panel: z.tuple([
		arg.oneOf('redraw', 'edit', 'details', 'delete', 'delete-confirm', 'delete-keep', 'cancel', 'draw', 'change', 'history', 'character'),
		arg.uuid(),
	]),
	/** Use N under a drawing of several takes: `panel-use:<drawingId>:<take>`. */
	'panel-use': z.tuple([arg.uuid(), arg.int().pipe(z.int().min(1).max(10))]),
	/** The Edit modal of a panel message: `panel-edit:<drawingId>`. */
	'panel-edit': z.tuple([arg.uuid()]),
	/** The Change modal of a panel message (its one text input is `instruction`): `panel-change:<drawingId>`. */
	'panel-change': z.tuple([arg.uuid()]),
	/** Use under a panel's private History, by take: `panel-history:<drawingId>:<takeId>` (the drawing the History was pressed on). */
	'panel-history': z.tuple([arg.uuid(), arg.uuid()]),
	/** Delete / Cancel of `/comic panels delete`'s confirmation: `panel-delete:confirm|cancel:<projectId>:<panelId>`. */
	'panel-delete': z.tuple([arg.oneOf('confirm', 'cancel'), arg.uuid(), arg.uuid()]),
	/** Previous / Next of `/comic read`: `read:<projectId>:<page>`, the page the button opens (anyone may press). */
	read: z.tuple([arg.uuid(), arg.int()]),
	/** The modal of `/comic account link` (its one text input is `api_key`): `account-link`, no arguments. */
	'account-link': z.tuple([]),
	/** The modal of the "Make a character" message command: `make-character:<channelId>:<messageId>`, the message whose picture it takes. */
	'make-character': z.tuple([arg.snowflake(), arg.snowflake()]),
};

type Families = typeof FAMILIES;
export type Family = keyof Families;
export type ArgsOf<F extends Family> = z.output<Families[F]>;
/** A decoded custom id of the bot's: which family, and its arguments typed as that family declares them. */
export type Decoded<F extends Family = Family> = DecodedOf<Families, F>;

/** Schemas of custom-id arguments by family prefix: each reads the `:`-separated parts after the prefix. */
export type FamilySchemas = Record<string, z.ZodType<readonly unknown[]>>;
export type DecodedOf<T extends FamilySchemas, F extends keyof T = keyof T> = { [K in F]: { readonly family: K; readonly args: z.output<T[K]> } }[F];

export interface Codec<T extends FamilySchemas> {
	/** The custom id of a button or modal of `family`; throws on arguments that would not read back, or past Discord's limit. */
	encode<F extends keyof T & string>(family: F, args: z.output<T[F]>): string;
	/** The family and arguments of a custom id, or undefined for an id this version does not know (an older bot's, or malformed). */
	decode(customId: string): DecodedOf<T> | undefined;
}

/** A codec for these families (the bot's is below; tests make their own). */
export function createCodec<T extends FamilySchemas>(families: T): Codec<T> {
	const isFamily = (prefix: string): prefix is keyof T & string => Object.hasOwn(families, prefix);
	const parse = <F extends keyof T & string>(family: F, parts: readonly string[]): DecodedOf<T, F> | undefined => {
		const schema: T[F] = families[family];
		const parsed = z.safeParse(schema, parts);
		return parsed.success ? { family, args: parsed.data } : undefined;
	};
	const decode = (customId: string): DecodedOf<T> | undefined => {
		const [prefix = '', ...parts] = customId.split(SEPARATOR);
		return isFamily(prefix) ? parse(prefix, parts) : undefined;
	};
	const encode = <F extends keyof T & string>(family: F, args: z.output<T[F]>): string => {
		const parts: readonly unknown[] = args;
		const customId = [family, ...parts.map(String)].join(SEPARATOR);
		if (customId.length > CUSTOM_ID_MAX) throw new RangeError(`A ${family} custom id is ${customId.length} characters long; Discord allows ${CUSTOM_ID_MAX}.`);
		// A button that would not decode is a bug here and now, not a dead button in a server later.
		if (decode(customId) === undefined) throw new TypeError(`The arguments of a ${family} custom id do not read back as ${family} declares them.`);
		return customId;
	};
	return { encode, decode };
}

export const { encode, decode } = createCodec(FAMILIES);
