import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, processFixture, spawnLatch, stopProcess } from '../support/processes.js';

// `latch serve --tls-cert --tls-key` terminates TLS itself: the API and the sign-in answer over https with a
// Secure session cookie. Plain http on a public address is allowed, with a warning in the log.

const fx = processFixture();
afterAll(() => fx.cleanup());
const ADMIN_TOKEN = `latch_e2e_${'t'.repeat(40)}`;

function selfSigned(dir: string) {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

function httpsCall(port: number, ca: Buffer, method: string, path: string, body?: unknown) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port,
        method,
        path,
        ca,
        headers: payload ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function until<T>(f: () => Promise<T>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

describe('latch serve over TLS', () => {
  it('serves https with the given certificate and sets a Secure session cookie', async () => {
    const dir = fx.tempDir();
    const { cert, key } = selfSigned(dir);
    const port = await freePort();
    const p = spawnLatch(
      [
        'serve',
        '--port',
        String(port),
        '--data-dir',
        join(dir, 'data'),
        '--tls-cert',
        cert,
        '--tls-key',
        key,
      ],
      { LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN },
    );
    try {
      const ca = readFileSync(cert);
      const ready = await until(async () => {
        const r = await httpsCall(port, ca, 'GET', '/readyz');
        if (r.status !== 200) throw new Error(`readyz ${r.status}`);
        return r;
      });
      expect(ready.status).toBe(200);
      const signIn = await httpsCall(port, ca, 'POST', '/api/v1/session', { token: ADMIN_TOKEN });
      expect(signIn.status, signIn.body).toBe(200);
      const cookie = [signIn.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('latch_session='));
      expect(cookie).toMatch(/;\s*Secure/i);
      // Plain http on the same port is not served.
      await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
    } finally {
      await stopProcess(p);
    }
  });

  it('refuses to start with a certificate but no key, saying what is missing', async () => {
    const dir = fx.tempDir();
    const p = spawnLatch([
      'serve',
      '--port',
      String(await freePort()),
      '--data-dir',
      dir,
      '--tls-cert',
      'x.pem',
    ]);
    expect(await p.exited).not.toBe(0);
    expect(p.stderr()).toContain('--tls-key');
  });

  it('warns in the log when it listens on a public address over plain http', async () => {
    const dir = fx.tempDir();
    const port = await freePort();
    const p = spawnLatch(['serve', '--host', '0.0.0.0', '--port', String(port), '--data-dir', dir]);
    try {
      await until(async () => {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (!r.ok) throw new Error(String(r.status));
      });
      await until(async () => {
        if (!p.output().includes('session cookie that is not Secure')) throw new Error('no warning yet');
      }, 5000);
    } finally {
      await stopProcess(p);
    }
  });
});
