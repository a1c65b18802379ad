import { z } from 'zod';
import { Prisma, type PrismaClient as Db } from './generated/postgres/client.ts';
import type { Tx } from './lockUser.ts';

/** A boolean on PostgreSQL, 0/1 on SQLite. */
const flag = z.union([z.boolean(), z.number(), z.bigint()]).transform((value) => value === true || Number(value) === 1);
/** A count (a bigint on PostgreSQL); a part that may not have been read (NULL). */
const count = z.coerce.number();
const sum = z.union([z.number(), z.bigint(), z.string(), z.null()]).transform((value) => (value === null ? null : Number(value)));
const optionalInt = z.union([z.number(), z.bigint(), z.null()]).transform((value) => (value === null ? null : Number(value)));

const rowSchema = z.object({
	keys: count,
	inFlight: count,
	waiting: count,
	userDrawn: count,
	guildDrawn: sum,
	userBuzzActual: sum,
	userBuzzEstimated: sum,
	guildBuzzActual: sum,
	guildBuzzEstimated: sum,
	settingsGuildId: z.string().nullable(),
	sharedKey: flag.nullable(),
	serverDailyLimit: optionalInt,
	userDailyLimit: optionalInt,
	enhanceDefault: flag.nullable(),
	userDailyBuzz: optionalInt,
	serverDailyBuzz: optionalInt,
});

/** The server's settings that decide access and limits (GuildSettings); null when the server set none. */
interface AccessSettings {
	readonly sharedKey: boolean;
	readonly serverDailyLimit: number | null;
	readonly userDailyLimit: number | null;
	readonly enhanceDefault: boolean;
	readonly userDailyBuzz: number | null;
	readonly serverDailyBuzz: number | null;
}

/** Buzz counted in the ledger: what drawings cost where known, and the estimates of the others (added by the caller). */
interface BuzzUsed {
	readonly actual: number;
	readonly estimated: number;
}

/** What admission reads of a user (and their server) at one moment. */
export interface AdmissionFacts {
	/** The server's row of settings; null outside a server or when it has none. */
	readonly settings: AccessSettings | null;
	/** The user linked a key of their own. */
	readonly ownKey: boolean;
	/** Drawings of the user holding an in-flight slot (queued, generating), and waiting for one. */
	readonly inFlight: number;
	readonly waiting: number;
	/** The user's drawings in the ledger since `since`. */
	readonly userDrawn: number;
	/** Read only when wanted (`AdmissionWants`); null when not read. */
	readonly guildDrawn: number | null;
	readonly userBuzz: BuzzUsed | null;
	readonly guildBuzz: BuzzUsed | null;
}

/**
 * Whether a part is read: always, never, or when the server's setting of that name is above 0 (the
 * caller does not know the settings yet; they are read by the same statement).
 */
export type Wanted = boolean | 'serverDailyLimit' | 'userDailyBuzz' | 'serverDailyBuzz';

export interface AdmissionWants {
	readonly guildDrawn: Wanted;
	readonly userBuzz: Wanted;
	readonly guildBuzz: Wanted;
}

/**
 * Everything admission checks, in one statement (scalar subqueries and the server's settings row, in
 * SQL both databases speak): whether the user has a key, their in-flight and waiting drawings, their
 * ledger rows since `since`, and, as wanted, the server's rows and the Buzz both used. Inside the
 * admission transaction it runs after the user's turn is taken (lockUser, a statement of its own: on
 * PostgreSQL a statement's snapshot is taken when it starts, before a lock it waits for is granted), so
 * what it counts is what the drawings are admitted against. The ledger's rows are those of
 * src/accounts/ledger.ts (`kind` other than story-plan).
 */
export async function admissionFacts(
	db: Db | Tx,
	asker: { readonly ownerId: string; readonly guildId: string | null },
	since: Date,
	wants: AdmissionWants,
): Promise<AdmissionFacts> {
	const { ownerId, guildId } = asker;
	const ledger = (who: Prisma.Sql) => Prisma.sql`FROM "UsageEntry" WHERE ${who} AND "kind" <> 'story-plan' AND "createdAt" >= ${since}`;
	const user = ledger(Prisma.sql`"userId" = ${ownerId}`);
	const guild = guildId === null ? undefined : ledger(Prisma.sql`"guildId" = ${guildId}`);
	const part = (wanted: Wanted, query: Prisma.Sql | undefined): Prisma.Sql => {
		if (wanted === false || query === undefined) return Prisma.sql`NULL`;
		if (wanted === true) return Prisma.sql`(${query})`;
		return Prisma.sql`CASE WHEN g.${Prisma.raw(`"${wanted}"`)} > 0 THEN (${query}) END`;
	};
	const buzz = (wanted: Wanted, from: Prisma.Sql | undefined) => ({
		actual: part(wanted, from && Prisma.sql`SELECT COALESCE(SUM("buzzActual"), 0) ${from} AND "buzzActual" IS NOT NULL`),
		estimated: part(wanted, from && Prisma.sql`SELECT COALESCE(SUM("buzzEstimated"), 0) ${from} AND "buzzActual" IS NULL`),
	});
	const userBuzz = buzz(wants.userBuzz, user);
	const guildBuzz = buzz(wants.guildBuzz, guild);
	const rows: unknown = await db.$queryRaw`/* admission */ SELECT
		(SELECT COUNT(*) FROM "UserKey" WHERE "userId" = ${ownerId}) AS "keys",
		(SELECT COUNT(*) FROM "Drawing" WHERE "ownerId" = ${ownerId} AND "status" IN ('queued', 'generating')) AS "inFlight",
		(SELECT COUNT(*) FROM "Drawing" WHERE "ownerId" = ${ownerId} AND "status" = 'waiting') AS "waiting",
		(SELECT COUNT(*) ${user}) AS "userDrawn",
		${part(wants.guildDrawn, guild && Prisma.sql`SELECT COUNT(*) ${guild}`)} AS "guildDrawn",
		${userBuzz.actual} AS "userBuzzActual", ${userBuzz.estimated} AS "userBuzzEstimated",
		${guildBuzz.actual} AS "guildBuzzActual", ${guildBuzz.estimated} AS "guildBuzzEstimated",
		g."guildId" AS "settingsGuildId", g."sharedKey", g."serverDailyLimit", g."userDailyLimit", g."enhanceDefault", g."userDailyBuzz", g."serverDailyBuzz"
		FROM (SELECT 1 AS "one") o LEFT JOIN "GuildSettings" g ON g."guildId" = ${guildId}`;
	const [row] = z.array(rowSchema).parse(rows);
	if (!row) throw new Error('the admission read returned no row');
	// A part not read (not wanted, or its setting unset) is NULL; one read is a number, 0 for no row.
	const used = (actual: number | null, estimated: number | null): BuzzUsed | null => (actual === null || estimated === null ? null : { actual, estimated });
	return {
		settings:
			row.settingsGuildId === null
				? null
				: {
						sharedKey: row.sharedKey ?? true,
						serverDailyLimit: row.serverDailyLimit,
						userDailyLimit: row.userDailyLimit,
						enhanceDefault: row.enhanceDefault ?? true,
						userDailyBuzz: row.userDailyBuzz,
						serverDailyBuzz: row.serverDailyBuzz,
					},
		ownKey: row.keys > 0,
		inFlight: row.inFlight,
		waiting: row.waiting,
		userDrawn: row.userDrawn,
		guildDrawn: row.guildDrawn,
		userBuzz: used(row.userBuzzActual, row.userBuzzEstimated),
		guildBuzz: used(row.guildBuzzActual, row.guildBuzzEstimated),
	};
}
