import type { JobFields, JobTable } from '../jobs/table.ts';
import type { PrismaClient as Db, Prisma } from './generated/postgres/client.ts';

/** What a published post's activity step may write: everything but the job columns, which are the runner's. */
export type PublishedPostUpdate = Omit<Prisma.PublishedPostUncheckedUpdateManyInput, 'dueAt' | 'errorCount' | 'leaseOwner' | 'leaseUntil' | 'id'>;

/** Free: never leased, or its holder's lease ran out. */
function free(now: Date) {
	return { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] };
}

/** The published posts as the job runner sees them (src/jobs/table.ts): the activity edits of their starter messages. */
export function publishedJobs(db: Db): JobTable<PublishedPostUpdate> {
	return {
		async due(now, limit) {
			const rows = await db.publishedPost.findMany({
				where: { dueAt: { lte: now }, ...free(now) },
				orderBy: { dueAt: 'asc' },
				take: limit,
				select: { id: true },
			});
			return rows.map((row) => row.id);
		},
		async claim(ids, now, owner, until) {
			await db.publishedPost.updateMany({ where: { id: { in: [...ids] }, dueAt: { lte: now }, ...free(now) }, data: { leaseOwner: owner, leaseUntil: until } });
			const claimed = await db.publishedPost.findMany({ where: { leaseOwner: owner }, select: { id: true } });
			return claimed.map((row) => row.id);
		},
		async renew(id, owner, until) {
			const { count } = await db.publishedPost.updateMany({ where: { id, leaseOwner: owner }, data: { leaseUntil: until } });
			return count > 0;
		},
		async store(id, owner, update, job: JobFields) {
			const { count } = await db.publishedPost.updateMany({
				where: { id, leaseOwner: owner },
				data: { ...update, dueAt: job.dueAt, errorCount: job.errorCount, leaseUntil: job.leaseUntil, ...(job.leaseUntil ? {} : { leaseOwner: null }) },
			});
			return count > 0;
		},
		async earliestDue(now) {
			const row = await db.publishedPost.findFirst({ where: { dueAt: { not: null }, ...free(now) }, orderBy: { dueAt: 'asc' }, select: { dueAt: true } });
			return row?.dueAt ?? undefined;
		},
		async oldestDue(now) {
			const row = await db.publishedPost.findFirst({ where: { dueAt: { lte: now }, ...free(now) }, orderBy: { dueAt: 'asc' }, select: { dueAt: true } });
			return row?.dueAt ?? undefined;
		},
		async leaseOwners(now) {
			const rows = await db.publishedPost.findMany({ where: { leaseUntil: { gte: now } }, distinct: ['leaseOwner'], select: { leaseOwner: true } });
			return rows.flatMap((row) => (row.leaseOwner ? [row.leaseOwner] : []));
		},
		async releaseOwnedBy(prefix) {
			const { count } = await db.publishedPost.updateMany({ where: { leaseOwner: { startsWith: prefix } }, data: { leaseOwner: null, leaseUntil: null } });
			return count;
		},
	};
}
