import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The single-page web UI, served from its built folder at `/`. Paths that are not files fall back to
// index.html so the UI's own routes survive a reload; the API's paths never do, so API clients keep getting
// problem+json 404s.

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

const NOT_BUILT =
  'The Latch web UI is not built.\n\n' +
  'Build it with `npm run build` (it is written to dist/web), then reload this page.\n' +
  'The HTTP API under /api/v1 works without it.\n';

/** `dist/web` under the package root, found from this module when run from src/ (tsx) or dist/src/ (built). */
export function defaultWebDir(): string {
  for (const up of ['../..', '../../..']) {
    const root = fileURLToPath(new URL(`${up}/`, import.meta.url));
    try {
      const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'latch') return path.join(root, 'dist', 'web');
    } catch {
      /* try the next location */
    }
  }
  return fileURLToPath(new URL('../../dist/web', import.meta.url));
}

const isServerPath = (pathname: string) => /^\/(api|healthz|readyz)(\/|$)/.test(pathname);

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The file a URL path names inside the folder, or undefined (outside it, hidden, or not a regular file). */
async function fileWithin(root: string, relative: string): Promise<string | undefined> {
  if (!relative || relative.includes('\0')) return undefined;
  const segments = relative.split('/');
  if (segments.some((s) => s === '' || s === '..' || s.startsWith('.'))) return undefined;
  const full = path.resolve(root, ...segments);
  if (!full.startsWith(root + path.sep)) return undefined;
  return (await isFile(full)) ? segments.join('/') : undefined;
}

const acceptsHtml = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');

function sendIndex(reply: FastifyReply, root: string) {
  // Always revalidated: it names the current hashed assets.
  reply.header('cache-control', 'no-cache');
  return reply.sendFile('index.html', root, { cacheControl: false });
}

export async function registerWebUi(app: FastifyInstance, webDir: string = defaultWebDir()) {
  const root = path.resolve(webDir);
  await app.register(async (ui) => {
    await ui.register(fastifyStatic, { serve: false });
    ui.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(SECURITY_HEADERS);
      return payload;
    });
    ui.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      const relative = (request.params as { '*'?: string })['*'] ?? '';
      if (isServerPath(`/${relative}`)) return reply.callNotFound();
      // Looked up per request, so building the UI needs no restart.
      if (!(await isFile(path.join(root, 'index.html'))))
        return reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
      const file = await fileWithin(root, relative);
      if (file === 'index.html') return sendIndex(reply, root);
      if (file) {
        // Vite names everything under assets/ by content hash: a changed file is a new URL.
        const immutable = file.startsWith('assets/');
        return reply.sendFile(file, root, immutable ? { maxAge: '1y', immutable: true } : { maxAge: 0 });
      }
      if (relative === '' || (!relative.startsWith('assets/') && acceptsHtml(request)))
        return sendIndex(reply, root);
      return reply.callNotFound();
    });
  });
}
