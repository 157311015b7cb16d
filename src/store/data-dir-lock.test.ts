import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.js';

const root = mkdtempSync(join(tmpdir(), 'latch-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newDir = () => {
  const d = join(root, `d${n++}`);
  mkdirSync(d);
  return d;
};

// The test runner's parent is a live Node process that is not this one: it stands in for a running server.
const livePid = process.ppid;
const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;

/** The lock as a server with `pid` writes it, in `dir` (its identity recorded unless `legacy`). */
function lockAs(dir: string, pid: number, legacy = false) {
  const lock = acquireDataDirLock(dir);
  const content = JSON.parse(readFileSync(lock.path, 'utf8')) as Record<string, unknown>;
  writeFileSync(lock.path, JSON.stringify({ ...content, pid, ...(legacy ? { dir: undefined } : {}) }));
  return lock.path;
}

describe('the data directory lock', () => {
  it('records the directory it was written for', () => {
    const dir = newDir();
    const lock = acquireDataDirLock(dir);
    const content = JSON.parse(readFileSync(lock.path, 'utf8'));
    expect(content).toMatchObject({
      pid: process.pid,
      host: hostname(),
      dir: { realPath: realpathSync(dir) },
    });
    expect(lock.replaced).toBeUndefined();
    lock.release();
  });

  it('refuses a directory a live process holds, with or without a recorded identity', () => {
    for (const legacy of [false, true]) {
      const dir = newDir();
      lockAs(dir, livePid, legacy);
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dir)).toThrow(`pid ${livePid}`);
    }
  });

  it('replaces a lock copied from another directory, naming it, while the original stays refused', () => {
    const source = newDir();
    const copy = newDir();
    const sourceLock = lockAs(source, livePid);
    copyFileSync(sourceLock, join(copy, 'latch.lock'));

    const lock = acquireDataDirLock(copy);
    expect(lock.replaced).toContain('written for another directory');
    expect(lock.replaced).toContain(realpathSync(source));
    expect(lock.replaced).toContain(`pid ${livePid}`);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({
      pid: process.pid,
      dir: { realPath: realpathSync(copy) },
    });
    expect(() => acquireDataDirLock(source)).toThrow(DataDirLockedError);
    lock.release();
  });

  it('replaces a lock left by a process that is gone, saying so', () => {
    const dir = newDir();
    lockAs(dir, deadPid);
    const lock = acquireDataDirLock(dir);
    expect(lock.replaced).toContain(`pid ${deadPid}`);
    expect(lock.replaced).toContain('no longer running');
    lock.release();
  });
});
