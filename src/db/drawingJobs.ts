import type { JobFields, JobTable } from '../jobs/table.ts';
import type { PrismaClient as Db, Drawing, Prisma } from './generated/postgres/client.ts';

/** What a drawing's steps may write: everything but the job columns, which are the runner's. */
export type DrawingUpdate = Omit<Prisma.DrawingUncheckedUpdateManyInput, 'dueAt' | 'errorCount' | 'leaseOwner' | 'leaseUntil' | 'id'>;

/** Free: never leased, or its holder's lease ran out. */
function free(now: Date) {
	return { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] };
}

export interface DrawingJobTable extends JobTable<DrawingUpdate, Drawing> {
	/** A callback said the workflow ended: due now, if the drawing is still waiting for that workflow. */
	makeDueWhileGenerating(id: string, workflowId: string, now: Date): Promise<boolean>;
	/** Its owner canceled it: due now, if work on it remains. */
	makeDueUnfinished(id: string, now: Date): Promise<boolean>;
	/** Due now, whatever its state (a drawing failed outside its steps, whose message must show it). */
	makeDue(id: string, now: Date): Promise<boolean>;
}

/** The drawings table as the job runner sees it (src/jobs/table.ts). */
export function drawingJobs(db: Db): DrawingJobTable {
	return {
		async makeDueWhileGenerating(id, workflowId, now) {
			const { count } = await db.drawing.updateMany({ where: { id, workflowId, status: 'generating' }, data: { dueAt: now } });
			return count > 0;
		},
		async makeDue(id, now) {
			const { count } = await db.drawing.updateMany({ where: { id }, data: { dueAt: now } });
			return count > 0;
		},
		async makeDueUnfinished(id, now) {
			const { count } = await db.drawing.updateMany({ where: { id, status: { in: ['queued', 'generating'] }, dueAt: { not: null } }, data: { dueAt: now } });
			return count > 0;
		},
		async due(now, limit) {
			const rows = await db.drawing.findMany({ where: { dueAt: { lte: now }, ...free(now) }, orderBy: { dueAt: 'asc' }, take: limit, select: { id: true } });
			return rows.map((row) => row.id);
		},
		async dueAndNext(now, limit) {
			// One row more than the limit, not yet due rows included: the first of those is the next wake.
			const rows = await db.drawing.findMany({
				where: { dueAt: { not: null }, ...free(now) },
				orderBy: { dueAt: 'asc' },
				take: limit + 1,
				select: { id: true, dueAt: true },
			});
			const due = rows.filter((row) => row.dueAt !== null && row.dueAt <= now).slice(0, limit);
			return { ids: due.map((row) => row.id), next: rows.find((row) => row.dueAt !== null && row.dueAt > now)?.dueAt ?? undefined };
		},
		async claim(ids, now, owner, until) {
			await db.drawing.updateMany({ where: { id: { in: [...ids] }, dueAt: { lte: now }, ...free(now) }, data: { leaseOwner: owner, leaseUntil: until } });
			const claimed = await db.drawing.findMany({ where: { leaseOwner: owner }, select: { id: true } });
			return claimed.map((row) => row.id);
		},
		// One UPDATE … RETURNING: the claimed rows come back with the claim, not by a second read.
		claimRows(ids, now, owner, until) {
			return db.drawing.updateManyAndReturn({
				where: { id: { in: [...ids] }, dueAt: { lte: now }, ...free(now) },
				data: { leaseOwner: owner, leaseUntil: until },
			});
		},
		async renewMany(held, until) {
			if (held.length === 0) return new Set();
			const rows = await db.drawing.updateManyAndReturn({
				where: { OR: held.map(({ id, owner }) => ({ id, leaseOwner: owner })) },
				data: { leaseUntil: until },
				select: { id: true },
			});
			return new Set(rows.map((row) => row.id));
		},
		async renew(id, owner, until) {
			const { count } = await db.drawing.updateMany({ where: { id, leaseOwner: owner }, data: { leaseUntil: until } });
			return count > 0;
		},
		async store(id, owner, update, job: JobFields) {
			const { count } = await db.drawing.updateMany({
				where: { id, leaseOwner: owner },
				data: { ...update, dueAt: job.dueAt, errorCount: job.errorCount, leaseUntil: job.leaseUntil, ...(job.leaseUntil ? {} : { leaseOwner: null }) },
			});
			return count > 0;
		},
		// The row as stored comes back with the update (RETURNING): the next step does not read it again.
		async storeRow(id, owner, update, job: JobFields) {
			const [row] = await db.drawing.updateManyAndReturn({
				where: { id, leaseOwner: owner },
				data: { ...update, dueAt: job.dueAt, errorCount: job.errorCount, leaseUntil: job.leaseUntil, ...(job.leaseUntil ? {} : { leaseOwner: null }) },
			});
			return row;
		},
		async earliestDue(now) {
			const row = await db.drawing.findFirst({ where: { dueAt: { not: null }, ...free(now) }, orderBy: { dueAt: 'asc' }, select: { dueAt: true } });
			return row?.dueAt ?? undefined;
		},
		async oldestDue(now) {
			const row = await db.drawing.findFirst({ where: { dueAt: { lte: now }, ...free(now) }, orderBy: { dueAt: 'asc' }, select: { dueAt: true } });
			return row?.dueAt ?? undefined;
		},
		async leaseOwners(now) {
			const rows = await db.drawing.findMany({ where: { leaseUntil: { gte: now } }, distinct: ['leaseOwner'], select: { leaseOwner: true } });
			return rows.flatMap((row) => (row.leaseOwner ? [row.leaseOwner] : []));
		},
		async releaseOwnedBy(prefix) {
			const { count } = await db.drawing.updateMany({ where: { leaseOwner: { startsWith: prefix } }, data: { leaseOwner: null, leaseUntil: null } });
			return count;
		},
	};
}
