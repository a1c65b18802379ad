// Hostile input at scale: random and hostile interactions thrown at the real bot through the fake Discord,
// and what must hold whatever they are: every interaction is answered, none ends in an unexpected error,
// nothing is logged as an error, nothing is half-stored, and another user's rows and messages stay as
// they were. `npm run fuzz` runs thousands (tests/fuzz/main.ts); tests/e2e/fuzz.test.ts a short run.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { comicGuildCommand } from '../../commands/definitions/comic.ts';
import { modelVersion } from '../fakes/civitai.ts';
import type { FakeMessage } from '../fakes/discord.ts';
import type { World } from '../world.ts';

/** One interaction the run sent that broke a rule, with what it was, to send again by hand. */
export interface Failure {
	readonly rule: string;
	readonly interactionId?: string;
	readonly action?: Action;
	readonly detail: string;
}

export interface FuzzResult {
	readonly tried: number;
	readonly failed: number;
	readonly failures: readonly Failure[];
	readonly seed: number;
	/** Warnings the bot logged during the run, by message: not failures, but worth a look. */
	readonly warnings: ReadonlyMap<string, number>;
}

export interface FuzzOptions {
	readonly count: number;
	readonly seed?: number;
	/** Interactions sent at once; presses of one button are also sent together. */
	readonly concurrency?: number;
	readonly progress?: (done: number, total: number) => void;
}

// ---- the people and what they own ----------------------------------------------------------------

const VICTIM = '610000000000000001';
const ATTACKERS = ['620000000000000001', '620000000000000002'] as const;
/** A channel of its own for the victim, so that the attackers' presses on its messages are the only ones there. */
const VICTIM_CHANNEL = '310000000000000001';

interface Known {
	/** Ids of rows, by owner: what forged custom ids name. */
	projectIds: { victim: string[]; attacker: string[] };
	panelIds: { victim: string[]; attacker: string[] };
	drawingIds: { victim: string[]; attacker: string[] };
	storyIds: { victim: string[]; attacker: string[] };
	projectNames: { victim: string[]; attacker: string[] };
}

// ---- actions -------------------------------------------------------------------------------------

/** Text values: ordinary, odd Unicode (16-bit units, so lone surrogates too), control characters, huge, Markdown, names that exist. */
const hostileText = fc.oneof(
	{ weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
	{ weight: 2, arbitrary: fc.fullUnicodeString({ maxLength: 60 }) },
	{ weight: 2, arbitrary: fc.string16bits({ maxLength: 60 }) },
	{
		weight: 3,
		arbitrary: fc.constantFrom(
			'',
			'   ',
			'\u0000',
			'name\u0000',
			'\ud800',
			'a\udc00b',
			'\u202eevil\u202c',
			'👩‍👩‍👧‍👦 family',
			'e\u0301\u0301\u0301',
			'[click](https://evil.example)',
			'# big\n> quote',
			'@everyone <@123> <#456>',
			'x'.repeat(101),
			'y'.repeat(5000),
			'-',
			'1-8',
			'0',
			'99999999999',
			'panel:delete:00000000-0000-0000-0000-000000000000',
		),
	},
	{ weight: 4, arbitrary: fc.constant('$known') },
);

export type OptionValue =
	| { kind: 'text'; text: string }
	| { kind: 'int'; value: number }
	| { kind: 'number'; value: number }
	| { kind: 'bool'; value: boolean };

const optionValue: fc.Arbitrary<OptionValue> = fc.oneof(
	{ weight: 4, arbitrary: hostileText.map((text) => ({ kind: 'text' as const, text })) },
	{
		weight: 3,
		arbitrary: fc
			.oneof(fc.integer({ min: -3, max: 6 }), fc.constantFrom(0, 2 ** 31, 2 ** 31 - 1, 4_294_967_297, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER), fc.integer())
			.map((value) => ({ kind: 'int' as const, value })),
	},
	{ weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => ({ kind: 'number' as const, value })) },
	{ weight: 1, arbitrary: fc.boolean().map((value) => ({ kind: 'bool' as const, value })) },
);

interface Leaf {
	readonly path: readonly string[];
	readonly options: readonly { name: string; type: number; required: boolean }[];
}

/** Every subcommand of `/comic` with its declared options, read from the definitions. */
function subcommands(): Leaf[] {
	const leaves: Leaf[] = [];
	for (const option of comicGuildCommand.options ?? []) {
		const read = (sub: { name: string; options?: readonly unknown[] | undefined }, path: string[]) =>
			leaves.push({
				path,
				options: (sub.options ?? []).flatMap((o) =>
					typeof o === 'object' && o !== null
						? [{ name: String(Reflect.get(o, 'name')), type: Number(Reflect.get(o, 'type')), required: Reflect.get(o, 'required') === true }]
						: [],
				),
			});
		if (option.type === 2) for (const sub of option.options ?? []) read(sub, [option.name, sub.name]);
		else if (option.type === 1) read(option, [option.name]);
	}
	return leaves;
}
const LEAVES = subcommands();
/** Subcommands that draw, render or call out are slow: fewer of them, so a run stays about input. */
const SLOW = new Set(['panel', 'story', 'export', 'read', 'character add']);

export type Action =
	| {
			kind: 'command';
			by: number;
			leaf: number;
			/** Per declared option: left out, a value of its own type, or any value of any type. */
			choices: { present: number; value: OptionValue; wrongType: boolean }[];
			extra: { name: string; value: OptionValue } | null;
			/** A path this version does not have, or another command name. */
			unknown: 'none' | 'subcommand' | 'name' | 'bare';
	  }
	| {
			kind: 'press';
			by: number;
			source: 'harvested' | 'forged' | 'random';
			pick: number;
			onOther: boolean;
			family: number;
			args: number[];
			text: string;
			times: number;
	  }
	| { kind: 'modal'; by: number; target: number; fields: { id: string; value: string }[] }
	| { kind: 'autocomplete'; by: number; leaf: number; focused: number; text: string };

const FORGED_FAMILIES = ['panel', 'panel-use', 'panel-edit', 'panel-delete', 'project-delete', 'story', 'read', 'account-link', 'nope'] as const;

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
	{
		weight: 5,
		arbitrary: fc.record({
			kind: fc.constant('command' as const),
			by: fc.nat(1),
			leaf: fc.nat(LEAVES.length - 1),
			choices: fc.array(fc.record({ present: fc.nat(9), value: optionValue, wrongType: fc.boolean() }), { minLength: 6, maxLength: 6 }),
			extra: fc.option(fc.record({ name: fc.oneof(fc.constantFrom('colour', 'panel', 'project', 'x'), fc.string({ maxLength: 20 })), value: optionValue }), {
				freq: 8,
			}),
			unknown: fc.constantFrom<'none' | 'subcommand' | 'name' | 'bare'>(
				'none',
				'none',
				'none',
				'none',
				'none',
				'none',
				'none',
				'none',
				'subcommand',
				'name',
				'bare',
			),
		}),
	},
	{
		weight: 5,
		arbitrary: fc.record({
			kind: fc.constant('press' as const),
			by: fc.nat(1),
			source: fc.constantFrom<'harvested' | 'forged' | 'random'>('harvested', 'harvested', 'forged', 'forged', 'random'),
			pick: fc.nat(10_000),
			onOther: fc.boolean(),
			family: fc.nat(FORGED_FAMILIES.length - 1),
			args: fc.array(fc.nat(10_000), { minLength: 3, maxLength: 3 }),
			text: fc.oneof(
				fc.string({ maxLength: 120 }),
				fc.string16bits({ maxLength: 100 }),
				fc.constantFrom('\u0000', 'panel:redraw:\u0000', '\ud800:x', 'read:\u0000:1', 'x'.repeat(100), ''),
			),
			times: fc.constantFrom(1, 1, 1, 2, 3),
		}),
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('modal' as const),
			by: fc.nat(1),
			target: fc.nat(10_000),
			fields: fc.array(
				fc.record({ id: fc.constantFrom('prompt', 'caption', 'dialogue', 'api_key', 'other'), value: hostileText.filter((text) => text !== '$known') }),
				{ maxLength: 4 },
			),
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record({ kind: fc.constant('autocomplete' as const), by: fc.nat(1), leaf: fc.nat(LEAVES.length - 1), focused: fc.nat(5), text: hostileText }),
	},
);

// ---- the run -------------------------------------------------------------------------------------

/** Sets up the victim's work (and some of the attackers'), then sends `count` actions and checks the rules. */
export async function runFuzz(world: World, options: FuzzOptions): Promise<FuzzResult> {
	const seed = options.seed ?? Date.now() % 2 ** 31;
	const failures: Failure[] = [];
	const crashes: unknown[] = [];
	const onCrash = (error: unknown) => crashes.push(error);
	process.on('unhandledRejection', onCrash);
	process.on('uncaughtException', onCrash);
	try {
		const known = await setUp(world);
		const before = await snapshot(world, known);
		const messagesBefore = victimMessages(world);
		const logStart = world.logs.length;
		// Some of the slow subcommands are left out of most draws: they are tried, but the run is about input.
		const actions = fc
			.sample(actionArbitrary, { numRuns: options.count * 2, seed })
			.filter((action, index) => action.kind !== 'command' || !SLOW.has(LEAVES[action.leaf]?.path.join(' ') ?? '') || index % 4 === 0)
			.slice(0, options.count);
		const sent: { id: string; action: Action }[] = [];
		const concurrency = options.concurrency ?? 4;
		for (let start = 0; start < actions.length; start += concurrency) {
			const batch = actions.slice(start, start + concurrency);
			const ids = batch.flatMap((action) => send(world, known, action).map((id) => ({ id, action })));
			sent.push(...ids);
			for (const { id, action } of ids) {
				const problem = await settled(world, id);
				if (problem) failures.push({ rule: 'answered', interactionId: id, action, detail: problem });
			}
			options.progress?.(Math.min(start + concurrency, actions.length), actions.length);
		}
		await quiet(world);
		const byId = new Map(sent.map((entry) => [entry.id, entry.action]));
		const warnings = new Map<string, number>();
		for (const line of world.logs.slice(logStart)) {
			const entry = parseLog(line);
			if (entry?.level === 40) warnings.set(entry.msg, (warnings.get(entry.msg) ?? 0) + 1);
			if (!entry || entry.level < 50) continue;
			const action = typeof entry.interactionId === 'string' ? byId.get(entry.interactionId) : undefined;
			failures.push({
				rule: entry.msg === 'interaction failed' ? 'no unexpected error' : 'no error logged',
				...(typeof entry.interactionId === 'string' ? { interactionId: entry.interactionId } : {}),
				...(action ? { action } : {}),
				detail: `${entry.msg}: ${entry.err ?? ''}`.slice(0, 600),
			});
		}
		for (const error of crashes) failures.push({ rule: 'no crash', detail: String(error instanceof Error ? error.stack : error).slice(0, 600) });
		const after = await snapshot(world, known);
		for (const [what, was] of Object.entries(before)) {
			const now = after[what];
			if (JSON.stringify(now) !== JSON.stringify(was)) failures.push({ rule: "nobody else's rows change", detail: `${what} changed:\n${diff(was, now)}` });
		}
		const messagesAfter = victimMessages(world);
		for (const [id, was] of messagesBefore) {
			const now = messagesAfter.get(id);
			if (JSON.stringify(now) !== JSON.stringify(was))
				failures.push({ rule: "nobody else's messages change", detail: `message ${id} changed:\n${diff(was, now)}${pressesOn(world, id, sent)}` });
		}
		failures.push(...(await halfStored(world)));
		const failedIds = new Set(failures.map((failure) => failure.interactionId ?? failure.rule + failure.detail));
		return { tried: sent.length, failed: failedIds.size, failures, seed, warnings };
	} finally {
		process.off('unhandledRejection', onCrash);
		process.off('uncaughtException', onCrash);
	}
}

/** The victim draws two panels (one of two takes) and leaves confirmations, a reader and a story plan open; an attacker gets a project too. */
async function setUp(world: World): Promise<Known> {
	const known: Known = {
		projectIds: { victim: [], attacker: [] },
		panelIds: { victim: [], attacker: [] },
		drawingIds: { victim: [], attacker: [] },
		storyIds: { victim: [], attacker: [] },
		projectNames: { victim: [], attacker: [] },
	};
	const owners = [
		{ userId: VICTIM, channelId: VICTIM_CHANNEL, project: `Victim Secret ${randomUUID().slice(0, 6)}`, role: 'victim' as const },
		{ userId: ATTACKERS[0], channelId: undefined, project: 'Attack Base', role: 'attacker' as const },
	];
	for (const owner of owners) {
		const where = { userId: owner.userId, ...(owner.channelId ? { channelId: owner.channelId } : {}) };
		const version = modelVersion({ baseModel: 'SDXL 1.0', trainedWords: ['herochar'] });
		world.civitai.addModelVersion(version);
		await world.command({ ...where, group: 'project', subcommand: 'create', options: { name: owner.project } });
		const added = await world.command({
			...where,
			group: 'character',
			subcommand: 'add',
			options: { project: owner.project, model: String(version.id), name: 'Hero' },
		});
		await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
		for (const takes of [1, 2]) {
			const sent = world.discord.sendCommand({
				...where,
				subcommand: 'panel',
				options: { project: owner.project, prompt: `scene ${takes}`, enhance: false, takes },
			});
			await world.waitForOriginal(sent.id, (message) => message.attachments.length === takes && message.components.length > 0, 30_000);
		}
		await world.command({ ...where, group: 'panels', subcommand: 'delete', options: { project: owner.project, panel: 1 } });
		await world.command({ ...where, group: 'project', subcommand: 'delete', options: { project: owner.project } });
		const read = world.discord.sendCommand({ ...where, subcommand: 'read', options: { project: owner.project } });
		await world.waitForOriginal(read.id, (message) => message.attachments.length === 1, 30_000);
		const story = world.discord.sendCommand({
			...where,
			subcommand: 'story',
			options: { project: owner.project, story: 'Hero finds a map and a door.', panels: 2 },
		});
		await world.discord.waitFor(() => settledNow(world, story.id) || undefined, 30_000);
		const db = world.bot.database.db;
		const project = await db.project.findFirstOrThrow({ where: { ownerId: owner.userId, name: owner.project } });
		known.projectIds[owner.role].push(project.id);
		known.projectNames[owner.role].push(owner.project);
		known.panelIds[owner.role].push(...(await db.panel.findMany({ where: { projectId: project.id } })).map((row) => row.id));
		known.drawingIds[owner.role].push(...(await db.drawing.findMany({ where: { ownerId: owner.userId } })).map((row) => row.id));
		known.storyIds[owner.role].push(...(await db.storyPlan.findMany({ where: { ownerId: owner.userId } })).map((row) => row.id));
	}
	return known;
}

/** The victim's rows, and the messages in the victim's channel, as they are. */
async function snapshot(world: World, _known: Known): Promise<Record<string, unknown>> {
	const db = world.bot.database.db;
	const owner = { ownerId: VICTIM };
	const byId = { orderBy: { id: 'asc' as const } };
	const projects = await db.project.findMany({ where: owner, ...byId });
	const projectIds = projects.map((project) => project.id);
	const panels = await db.panel.findMany({ where: { projectId: { in: projectIds } }, ...byId });
	return {
		projects,
		characters: await db.character.findMany({ where: { projectId: { in: projectIds } }, ...byId }),
		panels,
		panelCharacters: await db.panelCharacter.findMany({
			where: { panelId: { in: panels.map((panel) => panel.id) } },
			orderBy: [{ panelId: 'asc' }, { position: 'asc' }],
		}),
		drawings: await db.drawing.findMany({ where: owner, ...byId }),
		takes: await db.take.findMany({ where: { panelId: { in: panels.map((panel) => panel.id) } }, ...byId }),
		stories: await db.storyPlan.findMany({ where: owner, ...byId }),
	};
}

/** The victim's messages (those its own interactions made, in its channel) as they are now. */
function victimMessages(world: World): Map<string, unknown> {
	const mine = world.discord.messagesInChannel(VICTIM_CHANNEL).filter((message) => message.interactionId && isVictims(world, message.interactionId));
	return new Map<string, unknown>(
		mine.map((message): [string, unknown] => {
			// A reader's pages may be turned by anyone in the channel (the contract): what must not change is which project it shows.
			const readerProjects = [...JSON.stringify(message.components).matchAll(/"read:([^:"]+):/g)].map((match) => match[1]);
			if (readerProjects.length > 0) return [message.id, { reader: [...new Set(readerProjects)].sort() }];
			return [message.id, { content: message.content, embeds: message.embeds, components: message.components, edits: message.edits }];
		}),
	);
}

function isVictims(world: World, interactionId: string): boolean {
	const payload = world.discord.interactions.get(interactionId)?.payload;
	return JSON.stringify(payload?.['member'] ?? payload?.['user'] ?? {}).includes(VICTIM);
}

/** Rows left in a state no finished action leaves: gaps in panel numbers, a panel without a drawing, text no check lets in. */
async function halfStored(world: World): Promise<Failure[]> {
	const db = world.bot.database.db;
	const failures: Failure[] = [];
	const panels = await db.panel.findMany({
		select: { id: true, projectId: true, number: true, prompt: true, caption: true, dialogue: true, _count: { select: { drawings: true } } },
	});
	const numbers = new Map<string, number[]>();
	for (const panel of panels) numbers.set(panel.projectId, [...(numbers.get(panel.projectId) ?? []), panel.number]);
	for (const [projectId, list] of numbers) {
		const sorted = [...list].sort((a, b) => a - b);
		if (sorted.some((number, index) => number !== index + 1))
			failures.push({ rule: 'nothing half-stored', detail: `project ${projectId} has panels ${sorted.join(',')}` });
	}
	for (const panel of panels) if (panel._count.drawings === 0) failures.push({ rule: 'nothing half-stored', detail: `panel ${panel.id} has no drawing` });
	const texts = [
		...(await db.project.findMany({ select: { id: true, name: true, description: true } })).flatMap((row) => [row.name, row.description ?? '']),
		...(await db.character.findMany({ select: { name: true } })).map((row) => row.name),
		...panels.flatMap((panel) => [panel.prompt, panel.caption ?? '', panel.dialogue ?? '']),
	];
	// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
	const unsafe = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
	for (const text of texts)
		if (unsafe.test(text))
			failures.push({ rule: 'nothing half-stored', detail: `stored text with a control or broken character: ${JSON.stringify(text.slice(0, 80))}` });
	for (const project of await db.project.findMany({ select: { name: true } }))
		if (project.name.length > 100) failures.push({ rule: 'nothing half-stored', detail: `a project name of ${project.name.length} characters` });
	return failures;
}

// ---- sending -------------------------------------------------------------------------------------

function resolveText(text: string, known: Known, pick: number): string {
	if (text !== '$known') return text;
	const names = [...known.projectNames.victim, ...known.projectNames.attacker, 'Hero', 'Attack Base'];
	return names[pick % names.length] ?? 'Hero';
}

/** An option as Discord would send it, of the type declared (or of the type its value has, for a wrong type). */
function rawOption(name: string, declaredType: number, value: OptionValue, wrongType: boolean, known: Known, pick: number): Record<string, unknown> {
	const typeOf = (v: OptionValue) => (v.kind === 'text' ? 3 : v.kind === 'int' ? 4 : v.kind === 'number' ? 10 : 5);
	const raw = value.kind === 'text' ? resolveText(value.text, known, pick) : value.value;
	if (wrongType) return { type: typeOf(value), name, value: raw };
	// The declared type with a value that fits it, taken from the drawn value where it can be.
	switch (declaredType) {
		case 3:
			return { type: 3, name, value: typeof raw === 'string' ? raw : String(raw) };
		case 4:
			return { type: 4, name, value: typeof raw === 'number' ? Math.trunc(raw) : typeof raw === 'boolean' ? 1 : raw.length };
		case 10:
			return { type: 10, name, value: typeof raw === 'number' ? raw : 1 };
		case 5:
			return { type: 5, name, value: typeof raw === 'boolean' ? raw : pick % 2 === 0 };
		case 6:
			return { type: 6, name, value: pick % 2 === 0 ? VICTIM : String(raw).slice(0, 30) };
		default:
			return { type: declaredType, name, value: raw };
	}
}

/** Sends an action; returns the ids of the interactions it made (several for concurrent presses). */
function send(world: World, known: Known, action: Action): string[] {
	const userId = ATTACKERS[action.by] ?? ATTACKERS[0];
	switch (action.kind) {
		case 'command': {
			const leaf = LEAVES[action.leaf] ?? LEAVES[0];
			if (!leaf) return [];
			const leaves = leaf.options.flatMap((option, index) => {
				const choice = action.choices[index % action.choices.length];
				if (!choice) return [];
				// Required options are there 9 times in 10, optional ones half the time.
				const present = option.required ? choice.present > 0 : choice.present >= 5;
				if (!present) return [];
				return [rawOption(option.name, option.type, choice.value, choice.wrongType && choice.present % 3 === 0, known, choice.present)];
			});
			if (action.extra) leaves.push(rawOption(action.extra.name, 3, action.extra.value, true, known, 1));
			let path = [...leaf.path];
			if (action.unknown === 'subcommand') path = [...path.slice(0, -1), 'rename'];
			const nest = (names: string[]): unknown[] => {
				if (names.length === 0) return leaves;
				if (names.length === 1) return [{ type: 1, name: names[0], options: leaves }];
				return [{ type: 2, name: names[0], options: [{ type: 1, name: names[1], options: leaves }] }];
			};
			const rawOptions = action.unknown === 'bare' ? [] : nest(path);
			return [world.discord.sendCommand({ userId, ...(action.unknown === 'name' ? { name: 'draw' } : {}), rawOptions }).id];
		}
		case 'press': {
			const messages = [...world.discord.messages.values()].filter((message) => !message.deleted);
			const harvested = messages.flatMap((message) => customIdsOf(message).map((customId) => ({ customId, messageId: message.id })));
			let customId: string;
			let messageId: string | undefined;
			if (action.source === 'harvested' && harvested.length > 0) {
				const found = harvested[action.pick % harvested.length];
				customId = found?.customId ?? 'none';
				messageId = found?.messageId;
			} else if (action.source === 'forged' || action.source === 'harvested') {
				customId = forge(action, known);
			} else {
				customId = action.text;
			}
			if (action.onOther || messageId === undefined) {
				const other = messages[(action.pick * 7 + 3) % Math.max(1, messages.length)];
				messageId = other?.id ?? '999999999999999999';
			}
			const target = world.discord.messages.get(messageId);
			const channelId = target?.channel_id;
			return Array.from(
				{ length: action.times },
				() => world.discord.sendButton({ customId, messageId: messageId ?? '', userId, ...(channelId ? { channelId } : {}) }).id,
			);
		}
		case 'modal': {
			const ids = [...known.drawingIds.victim, ...known.drawingIds.attacker];
			const targets = [
				`panel-edit:${ids[action.target % Math.max(1, ids.length)] ?? randomUUID()}`,
				'account-link',
				`panel-edit:${randomUUID()}`,
				'panel-edit',
				'nope:1',
			];
			const customId = targets[action.target % targets.length] ?? 'account-link';
			const fields = Object.fromEntries(action.fields.map((field) => [field.id, field.value]));
			return [world.discord.sendModalSubmit({ userId, customId, fields, legacyRows: action.target % 2 === 0 }).id];
		}
		case 'autocomplete': {
			const leaf = LEAVES[action.leaf] ?? LEAVES[0];
			const option = leaf?.options[action.focused % Math.max(1, leaf.options.length)];
			if (!leaf || !option) return [];
			const [group, subcommand] = leaf.path.length === 2 ? leaf.path : [undefined, leaf.path[0]];
			const text = resolveText(action.text, known, action.focused);
			return [
				world.discord.sendAutocomplete({
					userId,
					...(group ? { group } : {}),
					...(subcommand ? { subcommand } : {}),
					focused: option.name,
					options: { [option.name]: text, ...(option.name === 'project' ? {} : { project: known.projectNames.victim[0] ?? 'x' }) },
				}).id,
			];
		}
	}
}

/** A custom id of a real family, naming rows of the victim, of the attacker, or none at all. */
function forge(action: Extract<Action, { kind: 'press' }>, known: Known): string {
	const [a = 0, b = 0, c = 0] = action.args;
	const pick = (list: readonly string[], n: number) => (n % 5 === 0 || list.length === 0 ? randomUUID() : (list[n % list.length] ?? randomUUID()));
	const drawing = pick([...known.drawingIds.victim, ...known.drawingIds.attacker], a);
	const project = pick([...known.projectIds.victim, ...known.projectIds.attacker], b);
	const panel = pick([...known.panelIds.victim, ...known.panelIds.attacker], c);
	const story = pick([...known.storyIds.victim, ...known.storyIds.attacker], a + c);
	const actions = ['redraw', 'edit', 'details', 'delete', 'delete-confirm', 'delete-keep', 'cancel'];
	const family = FORGED_FAMILIES[action.family] ?? 'nope';
	switch (family) {
		case 'panel':
			return `panel:${actions[b % actions.length]}:${drawing}`;
		case 'panel-use':
			return `panel-use:${drawing}:${[1, 2, 4, 0, 11, -1][c % 6]}`;
		case 'panel-edit':
			return `panel-edit:${drawing}`;
		case 'panel-delete':
			return `panel-delete:${a % 2 ? 'confirm' : 'cancel'}:${project}:${panel}`;
		case 'project-delete':
			return `project-delete:${a % 2 ? 'confirm' : 'cancel'}:${project}`;
		case 'story':
			return `story:${a % 2 ? 'draw' : 'cancel'}:${story}`;
		case 'read':
			return `read:${project}:${[1, 2, 0, -5, 2 ** 31, 999_999][c % 6]}`;
		case 'account-link':
			return 'account-link';
		default:
			return `${family}:${a}:${action.text.slice(0, 40)}`;
	}
}

function customIdsOf(message: FakeMessage): string[] {
	return (
		JSON.stringify(message.components)
			.match(/"custom_id":"((?:[^"\\]|\\.)*)"/g)
			?.map((match) => JSON.parse(match.slice('"custom_id":'.length)) as string) ?? []
	);
}

// ---- waiting and reading -------------------------------------------------------------------------

/** True once an interaction is answered: a callback, and a deferred reply no longer "thinking". */
function settledNow(world: World, id: string): boolean {
	const callbacks = world.discord.callbacks.get(id) ?? [];
	const [first] = callbacks;
	if (!first) return false;
	if (first.type !== 5) return true;
	const original = world.discord.originalMessage(id);
	return !original || original.deleted || (original.flags & 128) === 0;
}

/** Waits until the interaction is answered; a problem in words if it is not, or if the answer is an unexpected error. */
async function settled(world: World, id: string): Promise<string | undefined> {
	try {
		await world.discord.waitFor(() => settledNow(world, id) || undefined, 30_000);
	} catch {
		return (world.discord.callbacks.get(id)?.length ?? 0) === 0 ? 'never answered' : 'left "thinking…"';
	}
	const original = world.discord.originalMessage(id);
	if (original && /went wrong on the bot's side/.test(original.content)) return `unexpected error: ${original.content}`;
	return undefined;
}

/** Waits until the fake Discord has had no request for a while (bounded), so late edits are in before the checks. */
async function quiet(world: World): Promise<void> {
	const deadline = Date.now() + 30_000;
	let count = -1;
	while (Date.now() < deadline) {
		if (world.discord.requests.length === count) return;
		count = world.discord.requests.length;
		await new Promise((resolve) => setTimeout(resolve, 1_500));
	}
}

function parseLog(line: string): { level: number; msg: string; interactionId?: unknown; err?: string } | undefined {
	try {
		const parsed: unknown = JSON.parse(line);
		if (typeof parsed !== 'object' || parsed === null) return undefined;
		const level = Number(Reflect.get(parsed, 'level'));
		const err = Reflect.get(parsed, 'err');
		const errText =
			typeof err === 'object' && err !== null ? `${String(Reflect.get(err, 'message'))}\n${String(Reflect.get(err, 'stack') ?? '').slice(0, 400)}` : undefined;
		return {
			level,
			msg: String(Reflect.get(parsed, 'msg')),
			interactionId: Reflect.get(parsed, 'interactionId'),
			...(errText ? { err: errText } : {}),
		};
	} catch {
		return undefined;
	}
}

/** The presses the run made on a message, to reproduce a change to it. */
function pressesOn(world: World, messageId: string, sent: readonly { id: string; action: Action }[]): string {
	const presses = sent.flatMap(({ id }) => {
		const interaction = world.discord.interactions.get(id);
		if (interaction?.componentMessageId !== messageId) return [];
		const data = interaction.payload['data'];
		const customId = typeof data === 'object' && data !== null ? Reflect.get(data, 'custom_id') : undefined;
		const user = JSON.stringify(interaction.payload['member'] ?? interaction.payload['user']).match(/"id":"(\d+)"/)?.[1];
		const answer = world.discord.callbacks.get(id)?.[0];
		return [`\n    press ${String(customId)} by ${user} → callback ${answer?.type}`];
	});
	return presses.join('');
}

function diff(was: unknown, now: unknown): string {
	const a = JSON.stringify(was, null, 1).split('\n');
	const b = JSON.stringify(now, null, 1).split('\n');
	const lines: string[] = [];
	for (let index = 0; index < Math.max(a.length, b.length) && lines.length < 12; index++) if (a[index] !== b[index]) lines.push(`- ${a[index]}\n+ ${b[index]}`);
	return lines.join('\n');
}

/** A failure as a line a person can act on. */
export function describe(failure: Failure): string {
	const action = failure.action ? `\n    action: ${JSON.stringify(failure.action).slice(0, 500)}` : '';
	return `[${failure.rule}] ${failure.interactionId ?? ''} ${failure.detail}${action}`;
}
