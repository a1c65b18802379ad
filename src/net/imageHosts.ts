/**
 * Where picture downloads may go (IMAGE_HOSTS). The orchestrator hands out signed image URLs; the
 * bot fetches them with no credentials, but a URL it did not expect (a compromised or spoofed answer,
 * a redirect) must not make it fetch from inside the operator's network or from anyone's server.
 */
export interface ImageHostRule {
	readonly scheme: 'https' | 'http';
	/** An exact host name, or `*.example.com` for any subdomain of example.com. */
	readonly host: string;
	/** Unset: any port. */
	readonly port?: number;
}

/** The orchestrator's own hosts: its blob URLs and Civitai's image CDN are subdomains of civitai.com. */
export const DEFAULT_IMAGE_HOSTS = 'civitai.com,*.civitai.com';

const HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$|^\[[0-9a-f:.]+\]$/;

/**
 * `host`, `*.domain` or `https://host[:port]`: https only. `http://host[:port]`: plain http, for that
 * host alone (local fakes, a proxy on the same machine); nothing else ever allows http.
 * Throws an Error whose message says what is wrong with which entry.
 */
export function parseImageHosts(text: string): ImageHostRule[] {
	const entries = text
		.split(',')
		.map((entry) => entry.trim().toLowerCase())
		.filter((entry) => entry !== '');
	if (entries.length === 0) throw new Error('must name at least one host, e.g. civitai.com,*.civitai.com');
	return entries.map((entry) => {
		const withScheme = /^(https?):\/\/([^/]+)\/?$/.exec(entry);
		const scheme = withScheme?.[1] === 'http' ? 'http' : 'https';
		const authority = withScheme?.[2] ?? entry;
		const portMatch = /^(.*?)(?::(\d{1,5}))?$/.exec(authority);
		const host = portMatch?.[1] ?? '';
		const port = portMatch?.[2] === undefined ? undefined : Number(portMatch[2]);
		if (!HOST.test(host) || (port !== undefined && (port < 1 || port > 65_535)))
			throw new Error(`has an entry that is not a host name, *.domain or http(s)://host[:port]: "${entry.slice(0, 80)}"`);
		if (scheme === 'http' && host.startsWith('*.')) throw new Error(`allows plain http only for a single host, not a pattern: "${entry.slice(0, 80)}"`);
		return port === undefined ? { scheme, host } : { scheme, host, port };
	});
}

/** Whether `url` may be fetched under `rules`: its scheme, host and port all match one rule. */
export function isAllowedImageUrl(url: URL, rules: readonly ImageHostRule[]): boolean {
	const scheme = url.protocol === 'https:' ? 'https' : url.protocol === 'http:' ? 'http' : undefined;
	if (!scheme || url.username || url.password) return false;
	const host = url.hostname.toLowerCase();
	const port = Number(url.port || (scheme === 'https' ? 443 : 80));
	return rules.some(
		(rule) =>
			rule.scheme === scheme &&
			(rule.port === undefined || rule.port === port) &&
			(rule.host.startsWith('*.') ? host.endsWith(rule.host.slice(1)) && host.length > rule.host.length - 1 : host === rule.host),
	);
}
