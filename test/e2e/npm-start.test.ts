import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { expect, it } from 'vitest';
import { freePort, repoRoot, spawnLatch, stopProcess, waitForHealthy } from '../support/processes.js';

// What `npm start`'s build writes (and empties first) and what it must not touch: the checkout's `dist` is
// served by the browser tests running beside this one.
const notCopied = new Set(['node_modules', 'dist', 'test-output', '.git']);

/** The checkout as a newcomer has it, in a directory of its own; dependencies linked, not copied. */
function copyOfCheckout(into: string): string {
  const root = join(into, 'latch');
  cpSync(repoRoot, root, {
    recursive: true,
    filter: (src) => !notCopied.has(relative(repoRoot, src).split(sep)[0]!),
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

// The README's first command, as a newcomer runs it (on a free port and a temporary directory so the test
// never collides with a real instance; the defaults themselves are covered by the config unit test).
it('`npm start` builds and serves /healthz with a printed admin token', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latch-npm-start-'));
  const checkout = copyOfCheckout(dir);
  const port = await freePort();
  const p = spawnLatch(
    [],
    { LATCH_PORT: String(port), LATCH_DATA_DIR: join(dir, 'data'), LATCH_LOG_LEVEL: 'info' },
    ['npm', ['start', '--silent']],
    checkout,
  );
  try {
    await waitForHealthy(p, 180_000);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(p.stdout()).toMatch(/latch_[A-Za-z0-9_-]{20,}/);
    // The build it ran is the one it serves: the web UI from the copy's own dist.
    expect(existsSync(join(checkout, 'dist', 'web', 'index.html'))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/`)).headers.get('content-type')).toMatch(/text\/html/);
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
