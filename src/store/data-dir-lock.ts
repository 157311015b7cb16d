import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

// PGlite has no lock of its own: two processes on one data directory silently corrupt it. This lock file,
// created with O_EXCL, makes the second process refuse to start instead.
//
// The lock belongs to its directory: it records the directory's identity (device and inode, and the real path
// for people). A lock that names another directory was copied along with the data (cp -a of a live directory, a
// restored file-level backup); it says nothing about who holds this directory, so it is replaced.

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
  /** Set when a lock left by a dead process, or copied from another directory, was replaced: says which. */
  replaced?: string;
  release(): void;
}

/** Which directory a lock was written for. Locks written before this was recorded have none. */
interface DirIdentity {
  realPath: string;
  dev: number;
  ino: number;
}

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
  dir?: DirIdentity;
}

function readLock(path: string): { content: LockContent | null; raw: string | null } {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return { content: null, raw: null };
  }
  try {
    const parsed = JSON.parse(raw) as Partial<LockContent>;
    return { content: typeof parsed.pid === 'number' ? (parsed as LockContent) : null, raw };
  } catch {
    return { content: null, raw };
  }
}

function identityOf(dir: string): DirIdentity {
  const st = statSync(dir);
  return { realPath: realpathSync(dir), dev: st.dev, ino: st.ino };
}

/**
 * A lock written for another directory. The inode decides (every client of a shared disk sees the same one);
 * the device number too, but only on the machine that wrote the lock, since each machine numbers its mounts.
 * A lock without an identity, or one that matches, is judged by its holder as before.
 */
function isForeign(lock: LockContent, here: DirIdentity): boolean {
  if (!lock.dir) return false;
  if (lock.dir.ino !== here.ino) return true;
  return lock.host === hostname() && lock.dir.dev !== here.dev;
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

const describeHolder = (lock: LockContent) => `pid ${lock.pid} on ${lock.host}, started ${lock.startedAt}`;

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const here = identityOf(dir);
  const path = join(dir, 'latch.lock');
  let replaced: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      const content: LockContent = {
        pid: process.pid,
        host: hostname(),
        startedAt: new Date().toISOString(),
        dir: here,
      };
      writeSync(fd, JSON.stringify(content));
      closeSync(fd);
      return {
        path,
        ...(replaced ? { replaced } : {}),
        release() {
          if (readLock(path).content?.pid === process.pid) unlinkSync(path);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const { content: holder, raw } = readLock(path);
      if (holder && isForeign(holder, here)) {
        replaced =
          `${path} was written for another directory (${holder.dir!.realPath}, ${describeHolder(holder)}): ` +
          'this directory is a copy or a restore; replaced it';
      } else if (holder && holderAlive(holder)) {
        throw new DataDirLockedError(dir, holder.pid);
      } else {
        // Stale (holder gone) or half-written by a process that died while creating it: take it over.
        replaced = holder
          ? `${path} was left by ${describeHolder(holder)}, which is no longer running; replaced it`
          : `${path} was unreadable (a start that died while writing it); replaced it`;
      }
      // Only the lock judged above is removed: one another starter wrote meanwhile is judged again.
      if (readLock(path).raw === raw) {
        try {
          unlinkSync(path);
        } catch {
          /* another starter removed it first; retry the exclusive create */
        }
      }
    }
  }
  const holder = readLock(path).content;
  throw new DataDirLockedError(dir, holder?.pid ?? -1);
}
