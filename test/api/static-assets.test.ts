import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAssetOptions } from '../../src/web-assets.ts';
import { scratchDir } from '../support/server-process.ts';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The web app as `vite build` makes it (into a folder of this test's own, so a build in web/dist
 * is neither needed nor disturbed), served with the options the server uses.
 */
describe('static assets of the web app', () => {
  const outDir = scratchDir('gravity-web-build');
  let app: FastifyInstance;
  let hashedScript: string;

  beforeAll(async () => {
    const { build } = await import('vite');
    await build({
      configFile: path.join(root, 'web/vite.config.ts'),
      build: { outDir, emptyOutDir: true },
      logLevel: 'warn',
    });
    app = Fastify();
    await app.register(fastifyStatic, webAssetOptions(outDir));
    // As src/app.ts: a client-side route gets the app shell.
    app.setNotFoundHandler((_req, reply) => reply.sendFile('index.html'));
    await app.ready();
    const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
    hashedScript = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? '';
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('sends a content-hashed script brotli- or gzip-compressed as the browser accepts, cached for a year', async () => {
    expect(hashedScript).toMatch(/^\/assets\/index-[\w-]{8}\.js$/);
    const original = fs.readFileSync(path.join(outDir, hashedScript));
    const decoders = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync };
    for (const [accept, encoding] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const res = await app.inject({ url: hashedScript, headers: { 'accept-encoding': accept } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.rawPayload.length).toBeLessThan(original.length / 2);
      expect(decoders[encoding](res.rawPayload).equals(original)).toBe(true);
    }
    const plain = await app.inject({ url: hashedScript, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(original)).toBe(true);
  });

  it('has every larger script and stylesheet of the build compressed', () => {
    const assets = fs.readdirSync(path.join(outDir, 'assets'));
    const large = assets.filter(
      (f) => /\.(js|css)$/.test(f) && fs.statSync(path.join(outDir, 'assets', f)).size > 1024,
    );
    expect(large.length).toBeGreaterThan(3);
    for (const file of large) expect(assets).toEqual(expect.arrayContaining([`${file}.br`, `${file}.gz`]));
  });

  it('sends index.html and the app shell of client-side routes compressed but revalidated every time', async () => {
    const html = fs.readFileSync(path.join(outDir, 'index.html'));
    for (const url of ['/', '/index.html', '/merchant/products', '/orders']) {
      const res = await app.inject({ url, headers: { 'accept-encoding': 'br' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      const body =
        res.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(res.rawPayload) : res.rawPayload;
      expect(body.equals(html), url).toBe(true);
    }
  });

  it('revalidates files whose names carry no hash', async () => {
    const res = await app.inject({ url: '/favicon.svg' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });
});
