import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freePort, spawnLatch, stopProcess, waitForHealthy } from '../support/processes.js';

// The README's first command, as a newcomer runs it (on a free port and a temporary directory so the test
// never collides with a real instance; the defaults themselves are covered by the config unit test).
it('`npm start` builds and serves /healthz with a printed admin token', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latch-npm-start-'));
  const port = await freePort();
  const p = spawnLatch([], { LATCH_PORT: String(port), LATCH_DATA_DIR: dir, LATCH_LOG_LEVEL: 'info' }, [
    'npm',
    ['start', '--silent'],
  ]);
  try {
    await waitForHealthy(p, 180_000);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(p.stdout()).toMatch(/latch_[A-Za-z0-9_-]{20,}/);
    // JSON logs from pino.
    const logLine = p
      .stdout()
      .split('\n')
      .find((l) => l.startsWith('{'));
    expect(JSON.parse(logLine!)).toHaveProperty('level');
  } finally {
    await stopProcess(p);
    rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);
