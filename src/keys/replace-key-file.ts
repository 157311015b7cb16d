import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces a key file atomically: the new key is written to a private temporary file beside it, flushed, then
 * renamed over the old one and the directory flushed, so the file always holds one whole key, old or new.
 */
export function replaceKeyFile(path: string, keyText: string): void {
  const temp = `${path}.${process.pid}.new`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${keyText.trim()}\n`);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(temp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
