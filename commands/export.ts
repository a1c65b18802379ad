import { findProject } from '../src/comic/access.ts';
import { actorOf } from '../src/discord/actor.ts';
import { type AttachmentPayload, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { type ExportFile, type ExportFormat, type ExportLayout, ExportTooLarge, exportFiles } from '../src/comic/export/assemble.ts';
import { comicPanels } from '../src/comic/export/comicPanels.ts';
import { describeRange, panelRange } from '../src/comic/export/range.ts';
import { withheldNote } from '../src/comic/takes/safety.ts';
import { UserFacingError } from '../src/comic/errors.ts';
import { quote } from '../src/comic/names.ts';
import { NO_MENTIONS } from '../src/discord/render.ts';
import { subcommand } from './command.ts';
import { exportDefinition } from './definitions/export.ts';

/** Discord's defaults when an interaction does not say: 10 MiB a file, 10 files and 25 MiB a message. */
const DEFAULT_FILE_LIMIT = 10 * 1024 * 1024;
const FILES_PER_MESSAGE = 10;
const BYTES_PER_MESSAGE = 24 * 1024 * 1024;

const FORMATS = ['jpeg', 'png', 'webp', 'pdf', 'cbz'] as const satisfies readonly ExportFormat[];

export const exportCommand = subcommand({
	definition: exportDefinition,
	async execute(interaction, options, deps) {
		const format = FORMATS.find((value) => value === options.format) ?? 'jpeg';
		const layout: ExportLayout = options.layout === 'page' || format === 'pdf' ? 'page' : 'strip';
		const project = await findProject(deps.db, actorOf(interaction), options.project, 'read');
		const range = panelRange(options.panels, await deps.db.panel.count({ where: { projectId: project.id } }));
		const release = deps.exports.take(interaction.user.id);
		if (!release) throw new UserFacingError('You are already exporting a comic. Wait until its files are posted, then try again.');
		try {
			await interaction.deferReply();
			// Mature pictures only in age-restricted channels; a DM is not one.
			const ageRestricted = deps.interactionChannels.isAgeRestricted(interaction);
			const exportNow = async () => {
				const { ready, notReady, withheld } = await comicPanels(deps.generation, project.id, { range, ageRestricted, prepare: 'now' });
				const leftOut = `${notReady.length ? ` Left out, not ready: ${notReady.join(', ')}.` : ''}${withheldNote(withheld)}`;
				if (ready.length === 0) throw new UserFacingError(`None of ${describeRange(range)} of **${quote(project.name)}** is ready to show here.${leftOut}`);
				const started = Date.now();
				const files = exportFiles(ready, {
					title: project.name,
					writer: interaction.user.username,
					layout,
					format,
					maxFileBytes: interaction.attachmentSizeLimit || DEFAULT_FILE_LIMIT,
					...(project.description ? { summary: project.description } : {}),
					// The words are written in the writer's language, as best known: their Discord locale.
					language: interaction.locale,
					rtl: project.reading === 'rtl',
				});
				const intro = `**${quote(project.name)}**, ${describeRange(range)} as ${format === 'pdf' || format === 'cbz' ? `a ${format.toUpperCase()}` : `${format} ${layout === 'strip' ? 'strip slices' : 'pages'}`}.${leftOut}`;
				const sent = await post(interaction, files, intro);
				deps.log.info({ projectId: project.id, panels: ready.length, files: sent, format, layout, ms: Date.now() - started }, 'comic exported');
			};
			// One of the process's few render slots for the whole export (src/comic/export/renderSlots.ts).
			await (deps.generation.renders ? deps.generation.renders.run(exportNow) : exportNow());
		} finally {
			release();
		}
	},
});

/** Posts the files as they come: the reply first, then follow-ups, each at most 10 files and 24 MiB. */
async function post(interaction: ChatInputCommandInteraction, files: AsyncIterable<ExportFile>, intro: string): Promise<number> {
	let batch: ExportFile[] = [];
	let bytes = 0;
	let messages = 0;
	let count = 0;
	const flush = async () => {
		const attachments: AttachmentPayload[] = batch.map((file) => ({ attachment: file.data, name: file.name }));
		if (messages === 0) await interaction.editReply({ content: intro, files: attachments, allowedMentions: NO_MENTIONS });
		else await interaction.followUp({ files: attachments, allowedMentions: NO_MENTIONS });
		messages++;
		batch = [];
		bytes = 0;
	};
	try {
		for await (const file of files) {
			if (batch.length === FILES_PER_MESSAGE || (batch.length > 0 && bytes + file.data.length > BYTES_PER_MESSAGE)) await flush();
			batch.push(file);
			bytes += file.data.length;
			count++;
		}
		if (batch.length > 0) await flush();
	} catch (error) {
		// Files already posted stay; the refusal says what to export instead, privately.
		if (!(error instanceof ExportTooLarge) || messages === 0) throw error;
		await interaction.followUp({ content: error.message, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	}
	return count;
}
