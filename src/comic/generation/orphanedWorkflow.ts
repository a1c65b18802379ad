import type { DrawingUpdate } from '../../db/database.ts';
import { payerOf } from '../takes/payer.ts';
import type { GenerationDeps } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';

/**
 * A step's outcome that could not be stored (the drawing job's `lost` hook): when it carries a workflow
 * this row did not know and the row is gone (its panel or project deleted while the workflow was being
 * submitted), nobody else can cancel that workflow: it is canceled here, with the key that submitted
 * it. Deleting a panel or a project writes the unfinished drawings' rows before reading their workflows
 * (`lockUnfinished`, ../panels/order.ts), so an outcome is either stored before that read (and canceled
 * by the deleter) or finds no row (and is canceled here). A lost lease, the row still there, is the new
 * holder's to finish.
 */
export async function cancelOrphanedWorkflow(
	deps: GenerationDeps,
	drawingId: string,
	drawing: DrawingSubject,
	update: DrawingUpdate | undefined,
): Promise<void> {
	const workflowId = update?.workflowId;
	if (typeof workflowId !== 'string' || workflowId === drawing.workflowId) return;
	if (await deps.db.drawing.findUnique({ where: { id: drawingId }, select: { id: true } })) return;
	const payer = await payerOf(deps, drawing);
	deps.log.info({ drawingId, workflowId }, 'the drawing was deleted during its submission: canceling the workflow');
	await payer.orchestrator.cancel(workflowId);
}
