// npx tsx bench/export.ts [--panels 20,60]   (also: npm run bench:export)
// Letters noisy 832x1216 pictures, then exports them as strip JPEG, strip PNG, pages PDF and pages CBZ,
// each export in a fresh child process so its peak RSS is its own: time, peak RSS above the child's idle
// peak (after the libraries are loaded and warmed up), and the event loop's p99 delay during the export.
import { fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { toCbz } from '../src/images/assembly/cbz.ts';
import { renderPages } from '../src/images/assembly/pages.ts';
import { toPdf } from '../src/images/assembly/pdf.ts';
import { renderStrip } from '../src/images/assembly/strip.ts';
import { imageEngine } from '../src/images/engine.ts';
import { parseDialogue } from '../src/images/lettering/dialogue.ts';
import { drawLettering } from '../src/images/lettering/draw.ts';
import { layoutWords, letterPanel } from '../src/images/lettering/letter.ts';

const CASES = ['strip jpeg', 'strip png', 'pages pdf', 'pages cbz'] as const;
type Case = (typeof CASES)[number];

interface Measured {
	readonly case: string;
	readonly panels: number;
	readonly seconds: number;
	readonly files: number;
	readonly megabytes: number;
	readonly idleMb: number;
	readonly peakMb: number;
	readonly loopP99Ms: number;
	readonly loopMaxMs: number;
}

const { values } = parseArgs({
	options: { panels: { type: 'string', default: '20,60' }, child: { type: 'string' }, dir: { type: 'string' }, count: { type: 'string' } },
});

if (values.child) await child(values.child as Case, values.dir ?? '', Number(values.count));
else await parent(values.panels.split(',').map(Number));

async function parent(counts: readonly number[]): Promise<void> {
	const dir = await mkdtemp(join(tmpdir(), 'export-bench-'));
	try {
		const most = Math.max(...counts);
		process.stderr.write(`lettering ${most} noisy 832x1216 pictures…\n`);
		const lettering = await letterAll(dir, most);
		const rows: Measured[] = [];
		for (const count of counts) {
			for (const name of CASES) {
				process.stderr.write(`exporting ${count} panels as ${name}…\n`);
				rows.push(await runChild(name, dir, count));
			}
		}
		console.log(
			`\nLettering, one 832x1216 panel (caption + 2 balloons + a shout), ${most} panels: ${lettering.totalMs.toFixed(0)} ms a panel in all, ` +
				`of which ${lettering.syncMs.toFixed(1)} ms on the main thread (layout + drawing + pixel copy, p99 ${lettering.syncP99Ms.toFixed(1)} ms); ` +
				`event loop p99 delay while lettering: ${lettering.loopP99Ms.toFixed(1)} ms.\n`,
		);
		const header = ['export', 'panels', 'time', 'files', 'size', 'idle peak RSS', 'peak RSS', 'above idle', 'loop delay p99 / max'];
		const table = rows.map((row) => [
			row.case,
			String(row.panels),
			`${row.seconds.toFixed(2)} s`,
			String(row.files),
			`${row.megabytes.toFixed(1)} MB`,
			`${row.idleMb.toFixed(0)} MB`,
			`${row.peakMb.toFixed(0)} MB`,
			`${(row.peakMb - row.idleMb).toFixed(0)} MB`,
			`${row.loopP99Ms.toFixed(1)} / ${row.loopMaxMs.toFixed(1)} ms`,
		]);
		const widths = header.map((title, column) => Math.max(title.length, ...table.map((row) => row[column]?.length ?? 0)));
		const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
		console.log([line(header), line(widths.map((width) => '-'.repeat(width))), ...table.map(line)].join('\n'));
		console.log('\nTargets: a 20-panel strip under 3 s, its peak RSS at most 100 MB above the idle peak.');
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

async function letterAll(dir: string, count: number) {
	const words = {
		caption: 'Meanwhile, far below the city, something stirred in the old tunnels.',
		balloons: parseDialogue('Mia: Did you hear that? It came from the tunnels. | Rex: Hear what? | Mia: WATCH OUT!'),
	};
	const loop = monitorEventLoopDelay({ resolution: 10 });
	const sync: number[] = [];
	let total = 0;
	for (let index = 0; index < count; index++) {
		const picture = await sharp({
			create: { width: 832, height: 1216, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 70 + (index % 10) * 10, sigma: 45 } },
		})
			.jpeg({ quality: 92 })
			.toBuffer();
		// The synchronous part, timed on its own: what letterPanel does between its awaits.
		const before = performance.now();
		drawLettering({ width: 832, height: 1216 }, layoutWords(words, { width: 832, height: 1216 })).data();
		sync.push(performance.now() - before);
		if (index === 0) loop.enable();
		const started = performance.now();
		const lettered = await letterPanel(picture, words);
		total += performance.now() - started;
		await writeFile(join(dir, `${index}.png`), lettered.image);
	}
	loop.disable();
	sync.sort((a, b) => a - b);
	return {
		totalMs: total / count,
		syncMs: sync.slice(1).reduce((sum, ms) => sum + ms, 0) / (count - 1 || 1),
		syncP99Ms: sync[Math.floor(sync.length * 0.99)] ?? 0,
		loopP99Ms: loop.percentile(99) / 1e6,
	};
}

function runChild(name: Case, dir: string, count: number): Promise<Measured> {
	return new Promise((resolve, reject) => {
		const process_ = fork(fileURLToPath(import.meta.url), ['--child', name, '--dir', dir, '--count', String(count)], {
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		process_.once('message', (message) => resolve(message as Measured));
		process_.once('error', reject);
		process_.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${name} exited with ${code}`))));
	});
}

async function child(name: Case, dir: string, count: number): Promise<void> {
	const panels = Array.from({ length: count }, (_, index) => ({ image: () => readFile(join(dir, `${index}.png`)), width: 832, height: 1216 }));
	const out = join(dir, `out-${name.replace(' ', '-')}-${count}`);
	await mkdir(out, { recursive: true });
	// Warm up on a tiny picture: fonts registered, libvips and Skia loaded, code paths compiled.
	await imageEngine();
	const warm = [
		{
			image: await sharp({ create: { width: 64, height: 96, channels: 3, background: '#808080' } })
				.png()
				.toBuffer(),
		},
	];
	for await (const slice of renderStrip(warm, { title: 'Warm up', format: 'jpeg' })) void slice;
	await toPdf(renderPages(warm, { title: 'Warm up', format: 'jpeg' }));
	const idle = process.resourceUsage().maxRSS / 1024;

	const loop = monitorEventLoopDelay({ resolution: 10 });
	loop.enable();
	const started = performance.now();
	let files = 0;
	let bytes = 0;
	if (name === 'strip jpeg' || name === 'strip png') {
		for await (const slice of renderStrip(panels, { title: 'The Tunnels', format: name === 'strip png' ? 'png' : 'jpeg' })) {
			await writeFile(join(out, slice.name), slice.data);
			files++;
			bytes += slice.data.length;
		}
	} else if (name === 'pages pdf') {
		const pdf = await toPdf(renderPages(panels, { title: 'The Tunnels', format: 'jpeg' }));
		await writeFile(join(out, 'the-tunnels.pdf'), pdf);
		files = 1;
		bytes = pdf.length;
	} else {
		const path = join(out, 'the-tunnels.cbz');
		await toCbz(renderPages(panels, { title: 'The Tunnels', format: 'jpeg' }), { title: 'The Tunnels', writer: 'bench' }, createWriteStream(path));
		files = 1;
		bytes = (await readFile(path)).length;
	}
	const seconds = (performance.now() - started) / 1000;
	loop.disable();
	const measured: Measured = {
		case: name,
		panels: count,
		seconds,
		files,
		megabytes: bytes / 1024 / 1024,
		idleMb: idle,
		peakMb: process.resourceUsage().maxRSS / 1024,
		loopP99Ms: loop.percentile(99) / 1e6,
		loopMaxMs: loop.max / 1e6,
	};
	process.send?.(measured, () => process.exit(0));
}
