import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

// PGlite has no lock of its own: two processes on one data directory silently corrupt it. This lock file,
// created with O_EXCL, makes the second process refuse to start instead.

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(`data directory ${dir} is in use by another Latch process (pid ${holderPid}); stop it first`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  path: string;
  release(): void;
}

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
}

function readLock(path: string): LockContent | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    return typeof parsed.pid === 'number' ? (parsed as LockContent) : null;
  } catch {
    return null;
  }
}

/** A lock whose holder died (kill -9, power loss) must not keep the directory locked forever. */
function holderAlive(lock: LockContent): boolean {
  if (lock.host !== hostname()) return true; // another machine on a shared disk: never assume it is gone
  if (lock.pid === process.pid) return false;
  try {
    process.kill(lock.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // After a reboot the pid may belong to an unrelated program; only a Node process can be a Latch server.
  try {
    return readFileSync(`/proc/${lock.pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true;
  }
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'latch.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      const content: LockContent = {
        pid: process.pid,
        host: hostname(),
        startedAt: new Date().toISOString(),
      };
      writeSync(fd, JSON.stringify(content));
      closeSync(fd);
      return {
        path,
        release() {
          if (readLock(path)?.pid === process.pid) unlinkSync(path);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(path);
      if (holder && holderAlive(holder)) throw new DataDirLockedError(dir, holder.pid);
      // Stale (holder gone) or half-written by a process that died while creating it: take it over.
      try {
        unlinkSync(path);
      } catch {
        /* another starter removed it first; retry the exclusive create */
      }
    }
  }
  const holder = readLock(path);
  throw new DataDirLockedError(dir, holder?.pid ?? -1);
}
