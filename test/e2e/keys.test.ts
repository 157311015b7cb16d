import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, processFixture, runCli, stopProcess } from '../support/processes.js';

// The keys Latch holds outside its database, as an operator meets them.

const fx = processFixture();
afterAll(() => fx.cleanup());

describe('keys', () => {
  it('`latch keys generate` prints a fresh 32-byte key each time', async () => {
    const [a, b] = await Promise.all([runCli(['keys', 'generate']), runCli(['keys', 'generate'])]);
    expect(a.code).toBe(0);
    const key = a.stdout.trim();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(b.stdout.trim()).not.toBe(key);
  });

  it('the embedded store keeps its keys in private files in its data directory, the same after a restart', async () => {
    const dir = fx.tempDir();
    const first = await fx.serve(dir);
    const read = () => ['audit', 'secret'].map((n) => readFileSync(join(dir, `${n}.key`), 'utf8'));
    const keys = read();
    for (const n of ['audit', 'secret']) expect(statSync(join(dir, `${n}.key`)).mode & 0o777).toBe(0o600);
    await stopProcess(first);
    await stopProcess(await fx.serve(dir));
    expect(read()).toEqual(keys);
  });

  it('refuses to start on PostgreSQL without keys, saying how to make them', async () => {
    const port = String(await freePort());
    const url = `postgres://latch@127.0.0.1:${await freePort()}/latch`;
    const { code, stderr } = await runCli(['serve', '--port', port, '--database-url', url]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/LATCH_AUDIT_KEY and LATCH_SECRET_KEY must be set.*latch keys generate/);
  });

  it('refuses a malformed key without printing it', async () => {
    const dir = fx.tempDir();
    const { code, stderr } = await runCli(['serve', '--port', String(await freePort()), '--data-dir', dir], {
      LATCH_SECRET_KEY: 'correct-horse-battery',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('LATCH_SECRET_KEY must be the base64 text of 32 random bytes');
    expect(stderr).not.toContain('correct-horse-battery');
  });
});
