import { expect, test } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { pictureType } from '../../src/net/imageDownload.ts';
import { DEFAULT_IMAGE_HOSTS, isAllowedImageUrl, parseImageHosts } from '../../src/net/imageHosts.ts';

const minimal = { DISCORD_TOKEN: 'token', CIVITAI_API_TOKEN: 'key' };
const allowed = (url: string, hosts = DEFAULT_IMAGE_HOSTS) => isAllowedImageUrl(new URL(url), parseImageHosts(hosts));

test('by default only https from civitai.com and its subdomains; never plain http, never a look-alike host', () => {
	expect(parseConfig(minimal).IMAGE_HOSTS).toEqual(parseImageHosts(DEFAULT_IMAGE_HOSTS));
	expect(allowed('https://orchestration.civitai.com/v2/consumer/blobs/abc.jpeg?sig=x')).toBe(true);
	expect(allowed('https://image.civitai.com/x.png')).toBe(true);
	expect(allowed('https://civitai.com/x.png')).toBe(true);
	for (const url of [
		'http://orchestration.civitai.com/x.png',
		'https://civitai.com.evil.example/x.png',
		'https://evilcivitai.com/x.png',
		'https://127.0.0.1/x.png',
		'http://127.0.0.1:8080/x.png',
		'https://user:pass@image.civitai.com/x.png',
		'ftp://image.civitai.com/x.png',
		'file:///etc/passwd',
	]) {
		expect(allowed(url), url).toBe(false);
	}
});

test('http is allowed only for a host named with an http:// origin, and only on its port', () => {
	const hosts = 'http://127.0.0.1:4010, *.civitai.com';
	expect(allowed('http://127.0.0.1:4010/blobs/a?sig=1', hosts)).toBe(true);
	expect(allowed('http://127.0.0.1:4011/blobs/a', hosts)).toBe(false);
	expect(allowed('http://localhost:4010/blobs/a', hosts)).toBe(false);
	expect(allowed('https://127.0.0.1:4010/blobs/a', hosts)).toBe(false);
	expect(allowed('https://cdn.example.com:8443/a', 'https://cdn.example.com:8443')).toBe(true);
	expect(allowed('https://cdn.example.com/a', 'https://cdn.example.com:8443')).toBe(false);
	expect(() => parseConfig({ ...minimal, IMAGE_HOSTS: 'http://*.example.com' })).toThrow(/IMAGE_HOSTS allows plain http only for a single host/);
	expect(() => parseConfig({ ...minimal, IMAGE_HOSTS: 'exa mple.com' })).toThrow(/IMAGE_HOSTS has an entry that is not a host name/);
	expect(() => parseConfig({ ...minimal, IMAGE_HOSTS: ' , ' })).toThrow(/IMAGE_HOSTS must name at least one host/);
});

test('a picture is known by its first bytes: PNG, JPEG and WebP, nothing else', () => {
	expect(pictureType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
	expect(pictureType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
	expect(pictureType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
	expect(pictureType(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'))).toBeUndefined();
	expect(pictureType(Buffer.from('GIF89a'))).toBeUndefined();
	expect(pictureType(Buffer.from('<html>'))).toBeUndefined();
	expect(pictureType(Buffer.alloc(0))).toBeUndefined();
});
