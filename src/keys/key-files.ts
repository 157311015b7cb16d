import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { generateKeyText, parseKey } from './key-material.js';

// The embedded store keeps its keys in files in its data directory, beside (never inside) the database, readable
// by their owner only. Backups of the database leave them out, so a stolen backup does not carry its keys.

export class KeyFileError extends Error {}
export class MissingKeyFileError extends KeyFileError {}

export const keyFilePath = (dataDir: string, name: string) => join(dataDir, `${name}.key`);

/** Reads `name.key` from the data directory, creating it with a fresh key on first start. */
export function readOrCreateKeyFile(dataDir: string, name: string): Buffer {
  const path = keyFilePath(dataDir, name);
  let text: string;
  try {
    text = readKeyFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    createKeyFile(path);
    text = readKeyFile(path);
  }
  return parseKey(text, path);
}

/** Reads `name.key` from the data directory, for tools that must not create one (a new key verifies nothing). */
export function readExistingKeyFile(dataDir: string, name: string): Buffer {
  const path = keyFilePath(dataDir, name);
  try {
    return parseKey(readKeyFile(path), path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new MissingKeyFileError(`${path} does not exist`);
    throw err;
  }
}

function readKeyFile(path: string): string {
  const mode = statSync(path).mode;
  if ((mode & 0o077) !== 0)
    throw new KeyFileError(`${path} is readable by other users; make it private with: chmod 600 ${path}`);
  return readFileSync(path, 'utf8');
}

/** Written to a temporary file, flushed, then linked into place, so a crash never leaves a partial key. */
function createKeyFile(path: string) {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${generateKeyText()}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path); // fails if another process created the file first; theirs is then used
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temp);
  }
  const dir = openSync(join(path, '..'), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
