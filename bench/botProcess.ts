import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface BotProcess {
	readonly child: ChildProcess;
	/** Peak resident set size so far (VmHWM), in MB. */
	peakRssMb(): number;
	stop(): Promise<number | null>;
}

/** Builds dist/ as `npm start` does. */
export function buildBot(): void {
	execFileSync(process.execPath, [`${root}scripts/build.mjs`], { cwd: root, stdio: 'inherit' });
}

/**
 * The environment settings and node arguments of `npm start` (package.json), so the benchmark measures what
 * operators run: `MALLOC_ARENA_MAX=2 node --liftoff-only … dist/main.js` gives `{ env: { MALLOC_ARENA_MAX: '2' }, args: [...] }`.
 */
function startCommand(): { env: Record<string, string>; args: string[] } {
	const scripts: unknown = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts;
	const start =
		typeof scripts === 'object' && scripts !== null && 'start' in scripts && typeof scripts.start === 'string' ? scripts.start : 'node dist/main.js';
	const words = start.split(/\s+/);
	const node = words.indexOf('node');
	const env: Record<string, string> = {};
	for (const word of words.slice(0, Math.max(node, 0))) {
		const assignment = /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(word);
		if (!assignment?.[1]) throw new Error(`npm start is "${start}"; the benchmark expects settings (NAME=value) before node`);
		env[assignment[1]] = assignment[2] ?? '';
	}
	if (node < 0) throw new Error(`npm start is "${start}"; the benchmark expects it to run node`);
	const args = words.slice(node + 1);
	return { env, args: args.map((arg) => (arg.startsWith('dist/') ? `${root}${arg}` : arg)) };
}

/** The real entry point, run as `npm start` runs it, in a process of its own so its memory is measured alone. */
export function startBotProcess(env: Record<string, string>, cwd: string, logFile: string): BotProcess {
	const start = startCommand();
	const child = spawn(process.execPath, [...(process.env.BOT_NODE_FLAGS ?? '').split(' ').filter(Boolean), ...start.args], {
		cwd,
		// MALLOC_ARENA_MAX in the benchmark's own environment overrides `npm start`'s, for experiments.
		env: { PATH: process.env.PATH ?? '', ...start.env, ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}), ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const log = createWriteStream(logFile);
	child.stdout?.pipe(log);
	child.stderr?.pipe(log);
	return {
		child,
		peakRssMb() {
			try {
				const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
				const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
				return kb / 1024;
			} catch {
				return Number.NaN;
			}
		},
		stop() {
			return new Promise((resolve) => {
				if (child.exitCode !== null) return resolve(child.exitCode);
				const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
				child.once('exit', (code) => {
					clearTimeout(timer);
					resolve(code);
				});
				child.kill('SIGTERM');
			});
		},
	};
}
