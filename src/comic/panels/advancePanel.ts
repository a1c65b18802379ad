import type { Prisma } from '../../db/generated/postgres/client.ts';
import { check } from './checkWorkflow.ts';
import { retryLater, unexpected, type Outcome, type PanelUpdate } from './outcome.ts';
import { holdLease } from './lease.ts';
import { ensureImage } from './panelImage.ts';
import { DEFAULT_RETRY, leaseMsOf, type PanelDeps, type PanelView } from './panelDeps.ts';
import { preparePrompt, submit, type PanelToPrepare } from './submitPanel.ts';

const include = { project: { select: { name: true } }, character: { select: { name: true, baseModel: true, air: true, trainedWords: true } } } as const;
type Related = Pick<Prisma.PanelGetPayload<{ include: typeof include }>, 'project' | 'character'>;

/**
 * The panel as its steps see it. Its project and character are read with the first step of a run and
 * reused by the next ones (one statement instead of three): the prompt is built from the character in
 * a run's first step, and later steps only show the two names in the panel's message.
 */
async function loadPanel(deps: PanelDeps, where: Prisma.PanelWhereInput, related: Related | undefined) {
	if (!related) return deps.db.panel.findFirst({ where, include });
	const panel = await deps.db.panel.findFirst({ where });
	return panel && { ...panel, ...related };
}

/**
 * Moves a claimed panel on as far as it can go now: submit, read the workflow, keep the image,
 * tell Discord. Each step's outcome is stored before the next starts, and only while this caller
 * still holds the claim, so a crash at any point leaves a row another poller can finish.
 */
export async function advancePanel(deps: PanelDeps, panelId: string, leaseOwner: string): Promise<void> {
	// Renewed while a step runs, so a short lease (quick takeover after a crash) never runs out under slow work.
	const lease = holdLease(deps, panelId, leaseOwner);
	try {
		await advanceSteps(deps, panelId, leaseOwner);
	} finally {
		await lease.release();
	}
}

async function advanceSteps(deps: PanelDeps, panelId: string, leaseOwner: string): Promise<void> {
	const now = deps.now ?? Date.now;
	let related: Related | undefined;
	let payer: Partial<Pick<PanelDeps, 'orchestrator' | 'paidBy'>> | undefined;
	for (let steps = 0; steps < 6; steps++) {
		const panel = await loadPanel(deps, { id: panelId, leaseOwner }, related);
		if (!panel) return;
		related ??= { project: panel.project, character: panel.character };
		payer ??= (await deps.payerFor?.(panel.ownerId)) ?? {}; // accounts: per-user key
		const log = deps.log.child({
			panelId,
			workflowId: panel.workflowId ?? undefined,
			interactionId: panel.interactionId,
			userId: panel.ownerId,
			projectId: panel.projectId,
		});
		let outcome: Outcome;
		try {
			outcome = await step({ ...deps, ...payer, log }, panel, now()); // accounts: per-user key
		} catch (error) {
			// Unexpected: keep the panel, try again later, and give up after a bound like any other error.
			outcome = unexpected({ ...deps, ...payer, log }, panel, now(), error);
		}
		const keep = outcome.next === 'now';
		const nextCheckAt = outcome.next === null ? null : new Date(outcome.next === 'now' ? now() : outcome.next);
		const { count } = await deps.db.panel.updateMany({
			where: { id: panelId, leaseOwner },
			data: { ...outcome.update, nextCheckAt, ...(keep ? { leaseUntil: new Date(now() + leaseMsOf(deps)) } : { leaseOwner: null, leaseUntil: null }) },
		});
		if (count === 0) {
			log.warn('lost the claim on a panel; another poller owns it now');
			return;
		}
		if (outcome.announce) await announce(deps, panelId, related);
		if (!keep) return;
	}
}

async function step(deps: PanelDeps, panel: PanelView & PanelToPrepare, now: number): Promise<Outcome> {
	if (panel.status === 'queued') {
		if (!panel.params) return preparePrompt(deps, panel);
		return submit(deps, panel, now);
	}
	if (panel.status === 'generating') return check(deps, panel, now);
	if (panel.delivery === 'pending') return deliver(deps, panel, now);
	return { update: {}, next: null };
}

async function deliver(deps: PanelDeps, panel: PanelView, now: number): Promise<Outcome> {
	// Stored before the first call: if this process dies during it, the next attempt looks at the message before writing it again.
	if (!panel.deliveryStartedAt) {
		const { count } = await deps.db.panel.updateMany({ where: { id: panel.id, leaseOwner: panel.leaseOwner }, data: { deliveryStartedAt: new Date(now) } });
		if (count === 0) return { update: {}, next: null };
	}
	if (panel.status === 'ready') {
		try {
			await ensureImage(deps, panel);
		} catch (error) {
			deps.log.warn({ err: error }, 'the picture is not on this machine and could not be fetched again');
			return retryLater(DEFAULT_RETRY, panel, now, 0, undelivered({ deliveryError: 'picture unavailable' }), { deliveryError: 'picture unavailable' });
		}
	}
	const result = await deps.messenger(panel);
	const tokenDead = result.tokenDead || panel.tokenDead;
	if (result.ok) {
		deps.log.info({ messageId: result.messageId }, 'panel delivered');
		return {
			update: {
				delivery: 'delivered',
				deliveredAt: new Date(now),
				messageId: result.messageId ?? panel.messageId,
				tokenDead,
				errorCount: 0,
				deliveryError: null,
			},
			next: null,
		};
	}
	deps.log.warn({ reason: result.reason, retryable: result.retryable }, 'panel delivery failed');
	const kept = { deliveryError: result.reason, tokenDead };
	// Discord's own faults follow the default policy; ORCHESTRATOR_RETRY_* is about the orchestrator.
	return result.retryable ? retryLater(DEFAULT_RETRY, panel, now, result.retryAfterMs ?? 0, undelivered(kept), kept) : undelivered(kept);
}

/** Nothing more will be tried: the panel stays recorded as not shown, with the reason. */
function undelivered(update: PanelUpdate): Outcome {
	return { update: { ...update, delivery: 'undelivered' }, next: null };
}

/** Shows "being drawn" after a submission; a failure here changes nothing, the final edit matters. */
async function announce(deps: PanelDeps, panelId: string, related: Related): Promise<void> {
	const panel = await loadPanel(deps, { id: panelId }, related);
	if (!panel) return;
	const result = await deps.messenger(panel).catch((error: unknown) => ({ ok: false as const, retryable: false, reason: String(error), tokenDead: false }));
	if (!result.ok) deps.log.warn({ panelId, reason: result.reason }, 'could not show the panel as being drawn');
	if (result.tokenDead && !panel.tokenDead) await deps.db.panel.update({ where: { id: panelId }, data: { tokenDead: true } });
}
