// Commands typed from their definitions (commands/options.ts), and acknowledgements counted by the dispatcher's
// gate (AckGate.watch), against real discord.js interactions from the fake Discord. The type-level checks run
// under `npm run typecheck`: a `@ts-expect-error` that stops being an error fails it.
import { type Attachment, type ChatInputCommandInteraction, Client, Events, type Interaction, type User } from 'discord.js';
import { expect, expectTypeOf, test } from 'vitest';
import { subcommand } from '../../commands/command.ts';
import type { accountStatusDefinition } from '../../commands/definitions/account/status.ts';
import type { addCharacterDefinition } from '../../commands/definitions/character/add.ts';
import type { characterPicturesDefinition } from '../../commands/definitions/character/pictures.ts';
import type { exportDefinition } from '../../commands/definitions/export.ts';
import { panelDefinition } from '../../commands/definitions/panel.ts';
import { OptionType } from '../../commands/definitions/types.ts';
import { usageDefinition } from '../../commands/definitions/usage.ts';
import { type CommandOptionsOf, type OptionsOf, readOptions } from '../../commands/options.ts';
import { AckGate } from '../../src/discord/ackGate.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';

/** Whether two types are the same (the usual exact-equality trick of type tests). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

test('a definition maps to the shape its handler reads: required options present, others nullable, choices literal', () => {
	expectTypeOf<OptionsOf<typeof panelDefinition>>().toEqualTypeOf<{
		readonly project: string;
		readonly prompt: string;
		readonly character: string | null;
		readonly enhance: boolean | null;
		readonly takes: number | null;
		readonly caption: string | null;
		readonly dialogue: string | null;
		readonly follow: number | null;
	}>();
	expectTypeOf<OptionsOf<typeof exportDefinition>['layout']>().toEqualTypeOf<'strip' | 'page' | null>();
	expectTypeOf<OptionsOf<typeof usageDefinition>['user']>().toEqualTypeOf<User | null>();
	type AddCharacter = OptionsOf<typeof addCharacterDefinition>;
	expectTypeOf<AddCharacter['strength']>().toEqualTypeOf<number | null>();
	expectTypeOf<AddCharacter['image']>().toEqualTypeOf<Attachment | null>();
	// A resolved object may be missing from another client's payload even when required: nullable, refused plainly.
	expectTypeOf<OptionsOf<typeof characterPicturesDefinition>['image']>().toEqualTypeOf<Attachment | null>();
	expectTypeOf<OptionsOf<typeof accountStatusDefinition>>().toEqualTypeOf<Record<never, never>>();

	const grouped = {
		type: 1,
		name: 'comic',
		description: 'd',
		options: [
			{ type: OptionType.Subcommand, name: 'read', description: 'd', options: [{ type: OptionType.Integer, name: 'page', description: 'd', required: true }] },
			{
				type: OptionType.SubcommandGroup,
				name: 'project',
				description: 'd',
				options: [{ type: OptionType.Subcommand, name: 'list', description: 'd' }],
			},
		],
	} as const;
	type Used = CommandOptionsOf<typeof grouped>;
	const subcommands: Same<Used['subcommand'], 'read' | 'list'> = true;
	expectTypeOf<Extract<Used, { subcommand: 'read' }>>().toEqualTypeOf<{
		readonly group: null;
		readonly subcommand: 'read';
		readonly options: { readonly page: number };
	}>();
	const group: Same<Extract<Used, { subcommand: 'list' }>['group'], 'project'> = true;
	expect([subcommands, group]).toEqual([true, true]);

	subcommand({
		definition: panelDefinition,
		async execute(_interaction, options) {
			// @ts-expect-error a misspelled (or renamed) option is a compile error
			void options.promt;
			// @ts-expect-error an optional option may be missing: it cannot be read as always there
			const takes: number = options.takes;
			// @ts-expect-error a wrong type is a compile error
			const prompt: number = options.prompt;
			void [takes, prompt];
		},
	});
});

async function withClient(run: (fake: FakeDiscord, client: Client) => Promise<void>): Promise<void> {
	const fake = await startFakeDiscord();
	const client = new Client({ intents: [], rest: { api: fake.apiUrl } });
	try {
		const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
		await client.login(fake.botToken);
		await ready;
		await run(fake, client);
	} finally {
		await client.destroy();
		await fake.close();
	}
}

function nextChatInput(client: Client): Promise<ChatInputCommandInteraction> {
	return new Promise((resolve) => {
		const listener = (interaction: Interaction): void => {
			if (!interaction.isChatInputCommand()) return;
			client.off(Events.InteractionCreate, listener);
			resolve(interaction);
		};
		client.on(Events.InteractionCreate, listener);
	});
}

test('readOptions reads every option of the definition from a real interaction, null for those not given', async () => {
	await withClient(async (fake, client) => {
		const panel = nextChatInput(client);
		fake.sendCommand({ subcommand: 'panel', options: { project: 'Space Cats', prompt: 'Mira waves', takes: 3, enhance: false } });
		expect(readOptions(panelDefinition, await panel)).toEqual({
			project: 'Space Cats',
			prompt: 'Mira waves',
			takes: 3,
			enhance: false,
			character: null,
			caption: null,
			dialogue: null,
			follow: null,
		});

		const usage = nextChatInput(client);
		fake.sendCommand({ subcommand: 'usage', users: { user: '123456789012345678' } });
		expect(readOptions(usageDefinition, await usage).user?.id).toBe('123456789012345678');
	});
});

test('a watched interaction stops counting as waiting the moment its deferral is taken, before its handler ends', async () => {
	await withClient(async (fake, client) => {
		const gate = new AckGate();
		const received = nextChatInput(client);
		fake.sendCommand({ subcommand: 'story', options: { project: 'Space Cats', story: 'A heist' } });
		const interaction = await received;
		// Exactly a burst: the others and this one wait for their acknowledgements.
		for (let index = 0; index < AckGate.CROWD; index++) gate.arrive(`other-${index}`);
		gate.arrive(interaction.id);
		gate.watch(interaction);
		expect(gate.crowded()).toBe(true);
		await interaction.deferReply();
		// Nothing called `acknowledged` by hand: the deferral itself took this one out of the burst.
		expect(gate.crowded()).toBe(false);
		expect(fake.callbacks.get(interaction.id)).toEqual([{ type: 5, data: { flags: 0 } }]);
	});
});

test('an answer that fails stops the interaction waiting too, and the caller still sees the failure', async () => {
	await withClient(async (fake, client) => {
		const gate = new AckGate();
		const received = nextChatInput(client);
		fake.sendCommand({ subcommand: 'usage' });
		const interaction = await received;
		gate.watch(interaction);
		await interaction.deferReply();
		for (let index = 0; index < AckGate.CROWD; index++) gate.arrive(`other-${index}`);
		gate.arrive(interaction.id);
		// A second acknowledgement of one interaction fails (discord.js refuses it before sending): the failure
		// reaches the handler, and the gate does not count the interaction as waiting any more.
		await expect(interaction.reply({ content: 'again' })).rejects.toThrow();
		expect(gate.crowded()).toBe(false);
	});
});
