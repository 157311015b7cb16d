import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from './client.js';

/** Refuses early, before any work, when `file` exists and may not be replaced. */
export function assertWritable(file: string, force: boolean) {
  if (!force && existsSync(file)) throw new CliError(`${file} already exists; give --force to replace it`);
}

/**
 * Writes `chunks` (read as they come, when they stream) to `file` so that it either holds all of them, synced to
 * disk, or is left as it was: they go to a temporary file beside it, which is synced and then linked (or, with
 * `force`, renamed) into place.
 */
export async function writeFileAtomically(
  file: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  force: boolean,
) {
  const target = resolve(file);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    try {
      for await (const chunk of chunks) await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (force) await rename(tmp, target);
    else {
      try {
        await link(tmp, target); // fails, atomically, if the file appeared meanwhile
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST')
          throw new CliError(`${file} already exists; give --force to replace it`);
        throw err;
      }
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  // The new directory entry is durable only once the directory is synced too.
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
