// Helpers for tests of the per-user queue: how many workflows ran at once, and in what order they came.
import type { FakeOrchestrator, FakeWorkflow } from '../../fakes/orchestrator.ts';

/** The most workflows among `workflows` that were running at the same moment at the orchestrator. */
export function peakRunning(workflows: readonly FakeWorkflow[]): number {
	const events = workflows.flatMap((workflow) => [
		{ at: workflow.createdAt, delta: 1 },
		{ at: workflow.final?.at ?? Number.POSITIVE_INFINITY, delta: -1 },
	]);
	// An end and a start at the same millisecond: the end first (the slot was free).
	events.sort((a, b) => a.at - b.at || a.delta - b.delta);
	let running = 0;
	let peak = 0;
	for (const event of events) {
		running += event.delta;
		peak = Math.max(peak, running);
	}
	return peak;
}

/** The created workflows whose prompt contains `marker`, in the order they were created. */
export function workflowsWith(orchestrator: FakeOrchestrator, marker: string): FakeWorkflow[] {
	return [...orchestrator.workflows.values()].filter((workflow) => JSON.stringify(workflow.body).includes(marker)).sort((a, b) => a.createdAt - b.createdAt);
}

/** Ends every workflow still running. */
export function finishAll(orchestrator: FakeOrchestrator): void {
	for (const workflow of orchestrator.workflows.values()) if (!workflow.final) orchestrator.complete(workflow.id, 'succeeded');
}
