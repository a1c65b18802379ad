// npm run demo [-- --out demo-output]
// The real bot against the local fakes of Discord, Civitai, the orchestrator and an OpenAI-compatible
// server (tests/fakes/), no credentials: a short scripted run (a project, a character, a panel with
// words) whose picture and message texts are written into a folder. What the bot logs goes to bot.log there.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { startBot } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { startFakes } from '../tests/fakes/all.ts';
import { modelVersion } from '../tests/fakes/civitai.ts';
import type { CommandInput, FakeMessage } from '../tests/fakes/discord.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'demo-output' } } });
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
const say = (text: string) => console.log(`• ${text}`);

say('starting the fakes (Discord, Civitai, orchestrator, OpenAI-compatible) on 127.0.0.1');
const fakes = await startFakes('comic-demo-');
const { discord, civitai, orchestrator } = fakes;
// A full-size picture instead of the tests' 8x8 one, so the lettering shows: a sky that fades to a sunset.
const picture = await sharp({ create: { width: 832, height: 1216, channels: 3, background: { r: 110, g: 160, b: 220 } } })
	.composite([
		{
			input: Buffer.from(
				'<svg width="832" height="1216"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#6ea0dc"/><stop offset="1" stop-color="#f4a261"/></linearGradient></defs><rect width="832" height="1216" fill="url(#g)"/><circle cx="600" cy="900" r="140" fill="#ffd166"/></svg>',
			),
			top: 0,
			left: 0,
		},
	])
	.png()
	.toBuffer();
orchestrator.behaviour = () => ({ durationMs: 2_000, image: picture, mime: 'image/png' });
civitai.addModelVersion(modelVersion({ id: 789012, modelId: 123456, baseModel: 'SDXL 1.0', trainedWords: ['mira_char'], model: { name: 'Mira' } }));

const config = parseConfig({ ...fakes.env, LOG_LEVEL: 'info' });
const log = createWriteStream(join(out, 'bot.log'));
say(`starting the bot (database and pictures in ${fakes.dataDir}; its log in ${join(out, 'bot.log')})`);
const bot = await startBot(config, { logDestination: log });
await discord.waitFor(() => discord.connections > 0 || undefined, 20_000);
say('the bot is connected to the fake Discord gateway');

const transcript: string[] = ['# Demo run', ''];
const note = (title: string, message: FakeMessage) => {
	const embeds = message.embeds.map((embed) => JSON.stringify(embed, null, 2)).join('\n');
	transcript.push(`## ${title}`, '', message.content || '(no text)', ...(embeds ? ['', '```json', embeds, '```'] : []), '');
};
const run = async (title: string, input: CommandInput, done: (message: FakeMessage) => boolean, timeoutMs = 20_000): Promise<FakeMessage> => {
	say(title);
	const sent = discord.sendCommand(input);
	const message = await discord.waitFor(() => {
		const original = discord.originalMessage(sent.id);
		return original && done(original) ? original : undefined;
	}, timeoutMs);
	note(title, message);
	return message;
};

try {
	await run(
		'/comic project create name: Sky Pirates',
		{ group: 'project', subcommand: 'create', options: { name: 'Sky Pirates' } },
		(m) => m.content.length > 0,
	);
	await run(
		'/comic character add project: Sky Pirates model: 789012',
		{ group: 'character', subcommand: 'add', options: { project: 'Sky Pirates', model: '789012' } },
		(m) => m.content.includes('Added'),
	);
	const panel = await run(
		'/comic panel project: Sky Pirates prompt: @Mira looks at the sunset from the airship deck',
		{
			subcommand: 'panel',
			options: {
				project: 'Sky Pirates',
				prompt: '@Mira looks at the sunset from the airship deck',
				caption: 'Somewhere above the clouds…',
				dialogue: 'Mira: We made it!',
			},
		},
		(m) => m.attachments.length > 0,
	);
	for (const attachment of panel.attachments) {
		writeFileSync(join(out, attachment.filename), attachment.data);
		say(`wrote ${join(out, attachment.filename)} (${attachment.data.length} bytes)`);
	}
	writeFileSync(join(out, 'messages.md'), transcript.join('\n'));
	say(`wrote ${join(out, 'messages.md')}: what the bot answered, message by message`);
} finally {
	await bot.stop();
	await fakes.close();
	log.end();
}
