import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../../src/http/web-ui.js';
import { startHarness, type Harness } from '../support/harness.js';

// The built web UI served by the real app from a temporary folder: files, SPA fallback, headers, and the API's
// own 404s left alone.

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
const INDEX = '<!doctype html><html><body><div id="root">latch-ui-index</div></body></html>';
const ASSET = 'console.log("latch-ui-asset");';

let h: Harness;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'latch-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), INDEX);
  writeFileSync(path.join(dir, 'assets', 'app-3f9a1c.js'), ASSET);
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  h = await startHarness({ webDir: dir });
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, accept?: string) =>
  h.request('GET', url, { token: null, headers: accept ? { accept } : {} });
const html = 'text/html,application/xhtml+xml,*/*;q=0.8';

describe('serving the built UI', () => {
  it('serves index.html at / with the security headers and no-cache', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect((await h.request('HEAD', '/', { token: null })).status).toBe(200);
  });

  it('falls back to index.html for the UI routes a browser navigates to', async () => {
    for (const url of ['/requests', '/groups/grp_123/members', '/break-glass?active=true']) {
      const res = await get(url, html);
      expect(res.status, url).toBe(200);
      expect(res.body).toBe(INDEX);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(CSP);
    }
  });

  it('serves hashed assets as immutable for a year, and other files as they are', async () => {
    const asset = await get('/assets/app-3f9a1c.js');
    expect(asset.status).toBe(200);
    expect(asset.body).toBe(ASSET);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toContain('max-age=31536000');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    const icon = await get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
    expect(icon.headers['cache-control']).not.toContain('immutable');
  });

  it('answers 404 for missing files that are not page navigations', async () => {
    for (const [url, accept] of [
      ['/assets/gone-123.js', html],
      ['/assets/gone-123.js', '*/*'],
      ['/some/page', 'application/json'],
    ] as const) {
      const res = await get(url, accept);
      expect(res.status, url).toBe(404);
      expect(res.body).not.toBe(INDEX);
    }
  });

  it('never falls back for API and health paths: those stay problem+json 404s', async () => {
    for (const url of ['/api/v1/nope', '/api/v2/users', '/api', '/healthz/extra', '/readyz/x']) {
      const res = await get(url, html);
      expect(res.status, url).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect((res.body as { code: string }).code).toBe('not_found');
    }
    expect((await h.request('GET', '/api/v1/me')).status).toBe(200);
    expect((await get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await get('/api/openapi.json')).status).toBe(200);
  });

  it('serves nothing from outside the folder', async () => {
    for (const url of [
      '/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
    ]) {
      const res = await get(url, '*/*');
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(String(res.body)).not.toContain('"dependencies"');
    }
  });
});

describe('refusals of file requests', () => {
  it('answers a range or condition a file cannot meet with problem+json, not a 500', async () => {
    const range = await h.request('GET', '/favicon.svg', {
      token: null,
      headers: { range: 'bytes=999999-' },
    });
    expect(range.status).toBe(416);
    expect(range.headers['content-type']).toContain('application/problem+json');
    expect((range.body as { code: string }).code).toBe('range_not_satisfiable');
    const match = await h.request('GET', '/favicon.svg', { token: null, headers: { 'if-match': '"other"' } });
    expect(match.status).toBe(412);
    expect(match.headers['content-type']).toContain('application/problem+json');
    expect((match.body as { code: string }).code).toBe('precondition_failed');
  });
});

describe('when the UI is not built', () => {
  it('says how to build it instead of failing, and the API keeps working', async () => {
    rmSync(dir, { recursive: true, force: true });
    for (const url of ['/', '/requests']) {
      const res = await get(url, html);
      expect(res.status, url).toBe(503);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.body).toContain('not built');
      expect(res.body).toContain('npm run build');
    }
    expect((await h.request('GET', '/api/v1/me')).status).toBe(200);
    expect((await get('/api/v1/nope', html)).status).toBe(404);
  });
});

it('looks for dist/web under the package root by default', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  expect(defaultWebDir()).toBe(path.join(root, 'dist', 'web'));
});
