export interface Health {
	readonly status: 'ok' | 'error';
	readonly database: 'ok' | 'timeout' | 'error';
	/** `http`: interactions arrive over HTTP, there is no gateway connection to be ready. */
	readonly discord: 'ready' | 'connecting' | 'http';
}

export interface HealthProbe {
	/** One trivial query; its answer does not matter, only that it came. */
	readonly ping: () => Promise<unknown>;
	readonly discord: () => Health['discord'];
	readonly timeoutMs?: number;
}

/**
 * What a load balancer or an orchestrator of containers asks. Only the database decides the
 * status: without it nothing works, while a gateway reconnecting is discord.js's job and a restart
 * would not help it.
 */
export async function checkHealth(probe: HealthProbe): Promise<Health> {
	const database = await withTimeout(probe.ping(), probe.timeoutMs ?? 2_000);
	return { status: database === 'ok' ? 'ok' : 'error', database, discord: probe.discord() };
}

async function withTimeout(work: Promise<unknown>, ms: number): Promise<Health['database']> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), ms);
	});
	try {
		return await Promise.race([
			work.then(
				(): 'ok' => 'ok',
				(): 'error' => 'error',
			),
			timeout,
		]);
	} finally {
		clearTimeout(timer);
	}
}
