import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { pickEncoding } from './client-assets';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with node:http, which (unlike fetch) hands back the bytes exactly as sent. */
function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// Like a build: hashed chunks under assets/, index.html and public files at the top, each text
// file with its .br and .gz beside it (as client/scripts/precompress.ts writes them).
const SCRIPT = Buffer.from(`export const words = ${JSON.stringify('议事 meeting room '.repeat(400))};\n`);
const INDEX = Buffer.from(
  `<!doctype html><html lang="zh-CN"><head><title>议事</title></head><body><div id="root"></div>${' '.repeat(600)}</body></html>`,
);
const MANIFEST = Buffer.from(JSON.stringify({ name: '议事 Yishi', short_name: '议事', icons: [], padding: 'x'.repeat(500) }));
const SCRIPT_PATH = '/assets/index-Ab12Cd34.js';

function writeBuild(dir: string): void {
  mkdirSync(join(dir, 'assets'));
  const files: Array<[string, Buffer]> = [
    ['assets/index-Ab12Cd34.js', SCRIPT],
    ['index.html', INDEX],
    ['manifest.webmanifest', MANIFEST],
    ['sw.js', Buffer.from(`self.addEventListener('fetch', () => {});${' '.repeat(400)}`)],
  ];
  for (const [name, bytes] of files) {
    writeFileSync(join(dir, name), bytes);
    writeFileSync(join(dir, `${name}.br`), brotliCompressSync(bytes));
    writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes));
  }
  writeFileSync(join(dir, 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  mkdirSync(join(dir, '.vite'));
  writeFileSync(join(dir, '.vite', 'manifest.json'), '{"secret":"build internals"}');
}

describe('the built client is sent compressed, with caching a deploy cannot outlive', () => {
  let t: TestApp;
  let dist: string;
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'yishi-dist-'));
    writeBuild(dist);
    t = await startTestApp({ CLIENT_DIST: dist });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('sends brotli to a browser that accepts it, and the bytes decompress to the file', async () => {
    // Chromium's own header: gzip listed first, brotli still preferred.
    const res = await get(t.baseUrl, SCRIPT_PATH, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(SCRIPT.length / 5);
    expect(brotliDecompressSync(res.body).equals(SCRIPT)).toBe(true);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('sends gzip where brotli is not accepted, or refused with q=0', async () => {
    for (const accept of ['gzip, deflate', 'br;q=0, gzip', 'gzip;q=1, br;q=0.5']) {
      const res = await get(t.baseUrl, SCRIPT_PATH, { 'accept-encoding': accept });
      expect({ accept, encoding: res.headers['content-encoding'] }).toEqual({ accept, encoding: 'gzip' });
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(gunzipSync(res.body).equals(SCRIPT)).toBe(true);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    }
  });

  it('sends the file as it is without Accept-Encoding, still saying it varies by it', async () => {
    const requests: Array<Record<string, string>> = [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'br;q=0, gzip;q=0' }];
    for (const headers of requests) {
      const res = await get(t.baseUrl, SCRIPT_PATH, headers);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.equals(SCRIPT)).toBe(true);
      expect(Number(res.headers['content-length'])).toBe(SCRIPT.length);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
    }
  });

  it('has index.html revalidated on every visit (no-cache), answered by a 304 while unchanged', async () => {
    const first = await get(t.baseUrl, '/', { 'accept-encoding': 'br' });
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(brotliDecompressSync(first.body).equals(INDEX)).toBe(true);
    const etag = String(first.headers['etag']);
    const lastModified = String(first.headers['last-modified']);
    expect(etag).toBeTruthy();

    const byEtag = await get(t.baseUrl, '/', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(byEtag.status).toBe(304);
    expect(byEtag.body.length).toBe(0);
    const byDate = await get(t.baseUrl, '/', { 'accept-encoding': 'br', 'if-modified-since': lastModified });
    expect(byDate.status).toBe(304);
    // Another encoding is another representation: brotli's ETag does not validate the gzip copy.
    const gzipWithBrEtag = await get(t.baseUrl, '/', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(gzipWithBrEtag.status).toBe(200);
    expect(gunzipSync(gzipWithBrEtag.body).equals(INDEX)).toBe(true);
  });

  it('answers client routes with index.html, and leaves /api and /socket.io to the server', async () => {
    const route = await get(t.baseUrl, '/c/some-compound/m/some-meeting', { 'accept-encoding': 'gzip' });
    expect(route.status).toBe(200);
    expect(route.headers['cache-control']).toBe('no-cache');
    expect(gunzipSync(route.body).equals(INDEX)).toBe(true);

    const api = await get(t.baseUrl, '/api/no-such-thing', { 'accept-encoding': 'br' });
    expect(api.status).toBe(404);
    expect(api.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(api.body.toString()).error.code).toBe('NOT_FOUND');
    const health = await get(t.baseUrl, '/api/health');
    expect(health.status).toBe(200);
    const socket = await get(t.baseUrl, '/socket.io/?EIO=4&transport=polling');
    expect(socket.body.toString()).not.toContain('<html');
  });

  it('serves only the files of the build: no dot files, no way out of the folder', async () => {
    for (const path of ['/.vite/manifest.json', '/..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2Findex.html.br']) {
      const res = await get(t.baseUrl, path);
      expect({ path, body: res.body.toString() }).toEqual({ path, body: expect.not.stringMatching(/secret|root:/) });
      expect([200, 404]).toContain(res.status);
      if (res.status === 200) expect(res.body.equals(INDEX)).toBe(true);
    }
    const malformed = await get(t.baseUrl, '/%E0%A4%A');
    expect(malformed.status).toBeLessThan(500);
  });

  it('answers a missing hashed file with 404, never with index.html', async () => {
    const res = await get(t.baseUrl, '/assets/index-OldBuild1.js', { 'accept-encoding': 'br' });
    expect(res.status).toBe(404);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).not.toContain('<html');
  });

  it('sends the service worker and the manifest compressed, no-cache, with their own types', async () => {
    const manifest = await get(t.baseUrl, '/manifest.webmanifest', { 'accept-encoding': 'br' });
    expect(manifest.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
    expect(manifest.headers['cache-control']).toBe('no-cache');
    expect(JSON.parse(brotliDecompressSync(manifest.body).toString()).short_name).toBe('议事');
    const sw = await get(t.baseUrl, '/sw.js', { 'accept-encoding': 'gzip' });
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(sw.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(gunzipSync(sw.body).toString()).toContain("addEventListener('fetch'");
    // A file with no compressed copy goes as it is, and does not claim to vary.
    const icon = await get(t.baseUrl, '/icon.png', { 'accept-encoding': 'br' });
    expect(icon.headers['content-type']).toBe('image/png');
    expect(icon.headers['content-encoding']).toBeUndefined();
    expect(icon.headers['vary'] ?? '').not.toMatch(/accept-encoding/i);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get1 = await get(t.baseUrl, SCRIPT_PATH, { 'accept-encoding': 'br' });
    const head = await get(t.baseUrl, SCRIPT_PATH, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const h of ['content-encoding', 'content-length', 'content-type', 'etag', 'cache-control', 'vary']) {
      expect({ h, v: head.headers[h] }).toEqual({ h, v: get1.headers[h] });
    }
    const headRoute = await get(t.baseUrl, '/some/client/route', {}, 'HEAD');
    expect(headRoute.status).toBe(200);
    expect(Number(headRoute.headers['content-length'])).toBe(INDEX.length);
  });

  it('answers a range request with that range of the representation it sends', async () => {
    const plain = await get(t.baseUrl, SCRIPT_PATH, { range: 'bytes=0-9' });
    expect(plain.status).toBe(206);
    expect(plain.headers['content-range']).toBe(`bytes 0-9/${SCRIPT.length}`);
    expect(plain.body.equals(SCRIPT.subarray(0, 10))).toBe(true);

    const full = await get(t.baseUrl, SCRIPT_PATH, { 'accept-encoding': 'br' });
    const ranged = await get(t.baseUrl, SCRIPT_PATH, { 'accept-encoding': 'br', range: 'bytes=5-' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-encoding']).toBe('br');
    expect(ranged.body.equals(full.body.subarray(5))).toBe(true);

    const beyond = await get(t.baseUrl, SCRIPT_PATH, { 'accept-encoding': 'br', range: `bytes=${SCRIPT.length * 2}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-encoding']).toBeUndefined();
  });
});

describe('pickEncoding', () => {
  const both = ['br', 'gzip'] as const;
  it.each([
    [undefined, both, null],
    ['', both, null],
    ['gzip, deflate, br', both, 'br'],
    ['gzip, deflate, br', ['gzip'] as const, 'gzip'],
    ['BR;Q=0.8, GZIP;Q=0.9', both, 'gzip'],
    ['*', both, 'br'],
    ['*;q=0, gzip', both, 'gzip'],
    ['br;q=0', both, null],
    ['deflate, zstd', both, null],
    ['br;q=abc, gzip', both, 'gzip'],
  ])('%j of %j → %j', (header, available, expected) => {
    expect(pickEncoding(header, available)).toBe(expected);
  });
});
