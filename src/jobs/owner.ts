import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A process's name in leases: `host:pid:random`. The random part tells apart two runs with the same
 * pid (a container restarted as pid 1) and several bots in one process (the tests).
 */
export function newOwner(): string {
	return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Owners of job runners alive in this process. */
const living = new Set<string>();

export function markAlive(owner: string): void {
	living.add(owner);
}

export function markStopped(owner: string): void {
	living.delete(owner);
}

/**
 * Whether a lease holder is known dead: a process of this host that no longer runs, or this very pid
 * under another name that is not alive here (this process's predecessor, when pids are reused).
 * Holders on other hosts cannot be told: their leases run out on their own.
 */
export function isDeadOwner(claim: string, host = hostname()): boolean {
	const owner = claim.split('/')[0] ?? '';
	const [ownerHost, pidText, random] = owner.split(':');
	const pid = Number(pidText);
	if (ownerHost !== host || !Number.isInteger(pid) || pid <= 0 || !random) return false;
	if (pid === process.pid) return !living.has(owner);
	try {
		process.kill(pid, 0);
		return false;
	} catch (error) {
		// EPERM: a process with that pid runs under another user; it may be a bot, leave its lease.
		return error instanceof Error && 'code' in error && error.code === 'ESRCH';
	}
}
