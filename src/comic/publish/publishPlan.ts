import { createHash } from 'node:crypto';
import { collect, renderPages } from '../../images/index.ts';
import type { Project } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';
import { type ComicDeps, comicPanels } from '../export/comicPanels.ts';
import { describeRange, type PanelRange } from '../export/range.ts';
import { nameKey, quote } from '../names.ts';
import type { OutgoingFile, PublishChannel } from './postWriter.ts';

/** Discord's limits for a message: 10 files, and (with room for the form around them) about 24 MiB together. */
export const FILES_PER_MESSAGE = 10;
export const BYTES_PER_MESSAGE = 24 * 1024 * 1024;
/** A thread's name is 1 to 100 characters. */
const THREAD_NAME_MAX = 100;
/** A post carries at most 5 tags. */
const TAGS_MAX = 5;

/** One message of a post as it should be: position 0 is the starter with the first page (the cover). */
export interface PlannedMessage {
	readonly position: number;
	/** The pages it shows (1-based), e.g. `2-11`. */
	readonly pages: string;
	readonly content: string;
	readonly files: readonly OutgoingFile[];
	/** Of its text and its pages' bytes: equal hashes, nothing to edit. */
	readonly hash: string;
}

export interface PostPlan {
	readonly title: string;
	readonly tags: readonly string[];
	readonly messages: readonly PlannedMessage[];
	readonly pageCount: number;
	readonly withheld: readonly number[];
	readonly notReady: readonly number[];
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/**
 * The post a project (or a part of it) makes in a channel: its pages assembled as the page export
 * assembles them (JPEG, 1600 x 2400, mirrored rows for right-to-left projects), mature pictures left out
 * outside age-restricted channels, grouped into messages at Discord's limits. The pages are rendered in
 * one of the process's render slots (libvips works on its own threads, off the event loop).
 */
export async function planPost(
	deps: ComicDeps,
	input: { project: Project; range: PanelRange; part: boolean; channel: PublishChannel; maxFileBytes: number },
): Promise<PostPlan> {
	const { project, range, part, channel } = input;
	const rtl = project.reading === 'rtl';
	const title = oneLineClip(part ? `${project.name} · ${describeRange(range)}` : project.name, THREAD_NAME_MAX);
	const render = async () => {
		const { ready, notReady, withheld } = await comicPanels(deps, project.id, { range, ageRestricted: channel.nsfw, prepare: 'now' });
		const pages = ready.length ? await collect(renderPages(ready, { title: project.name, format: 'jpeg', rtl })) : [];
		return { pages, notReady, withheld };
	};
	const { pages, notReady, withheld } = deps.renders ? await deps.renders.run(render) : await render();
	if (pages.length === 0) {
		const why = withheld.length ? ' Its pictures may be mature, and this channel is not age-restricted.' : ' Draw some with `/comic panel`.';
		throw new UserFacingError(`None of ${describeRange(range)} of **${quote(project.name)}** is ready to publish there.${why}`);
	}
	for (const page of pages)
		if (page.data.length > input.maxFileBytes)
			throw new UserFacingError(`A page is ${(page.data.length / 1048576).toFixed(1)} MB, over what Discord takes here. Publish fewer panels with \`panels\`.`);
	const starterText = starterTextOf({ title, pageCount: pages.length, rtl, withheld: withheld.length });
	const [cover, ...rest] = pages.map((page) => ({ name: page.name, data: page.data }));
	const messages: PlannedMessage[] = [];
	if (cover) messages.push(planned(0, '1', starterText, [cover]));
	let group: OutgoingFile[] = [];
	let bytes = 0;
	let first = 2;
	const flush = () => {
		const last = first + group.length - 1;
		messages.push(
			planned(messages.length, first === last ? `${first}` : `${first}-${last}`, `-# ${first === last ? `page ${first}` : `pages ${first}–${last}`}`, group),
		);
		first = last + 1;
		group = [];
		bytes = 0;
	};
	for (const file of rest) {
		if (group.length === FILES_PER_MESSAGE || (group.length > 0 && bytes + file.data.length > BYTES_PER_MESSAGE)) flush();
		group.push(file);
		bytes += file.data.length;
	}
	if (group.length) flush();
	return { title, tags: chooseTags(channel, project, part), messages, pageCount: pages.length, withheld, notReady };
}

function planned(position: number, pages: string, content: string, files: readonly OutgoingFile[]): PlannedMessage {
	const hash = sha256([content, ...files.map((file) => `${file.name}:${sha256(file.data)}`)].join('\n'));
	return { position, pages, content, files, hash };
}

/** The starter's text: the title, how many pages, how to read it, what was left out. */
export function starterTextOf(input: { title: string; pageCount: number; rtl: boolean; withheld: number }): string {
	const lines = [`**${quote(input.title)}** · ${input.pageCount} ${input.pageCount === 1 ? 'page' : 'pages'}`];
	if (input.rtl) lines.push('Read right to left, as manga: each row of a page starts on the right.');
	if (input.withheld)
		lines.push(`${input.withheld} ${input.withheld === 1 ? 'panel is' : 'panels are'} left out: mature pictures are shown only in age-restricted channels.`);
	return lines.join('\n');
}

/** The starter as shown: its text and, below, what happened since it was published (never a ping: allowed_mentions is empty). */
export function starterContent(starterText: string, note: string | null): string {
	return (note ? `${starterText}\n\n-# ${note}` : starterText).slice(0, 2000);
}

/**
 * Tags a post carries in a forum that has them: those named like the project, `comic` or `comics`,
 * `manga` for a right-to-left one, `chapter` or `part` for a part. A forum that requires a tag gets
 * its first one anyone may apply when none of those match. Moderators' tags are left alone.
 */
export function chooseTags(channel: PublishChannel, project: Project, part: boolean): string[] {
	if (channel.kind !== 'forum') return [];
	const wanted = new Set([nameKey(project.name), 'comic', 'comics', ...(project.reading === 'rtl' ? ['manga'] : []), ...(part ? ['chapter', 'part'] : [])]);
	const open = channel.tags.filter((tag) => !tag.moderated);
	const matching = open.filter((tag) => wanted.has(nameKey(tag.name))).map((tag) => tag.id);
	if (matching.length === 0 && channel.requireTag && open[0]) return [open[0].id];
	return matching.slice(0, TAGS_MAX);
}

function oneLineClip(text: string, max: number): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
