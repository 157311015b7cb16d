import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomically } from './write-file-atomically.js';

// The API token `latch login` obtained, kept for the client commands when LATCH_TOKEN is not set: in the user's
// configuration directory ($XDG_CONFIG_HOME/latch, else ~/.config/latch; %APPDATA%\latch on Windows), readable
// by the user alone (0600, in a 0700 directory). `latch logout` revokes it and deletes the file.

export interface StoredCredentials {
  url: string;
  token: string;
  /** The token's id and its user's, to revoke it. */
  tokenId: string;
  userId: string;
  expiresAt: string;
}

export function credentialsFile(env: NodeJS.ProcessEnv): string {
  const base =
    env.XDG_CONFIG_HOME ||
    (process.platform === 'win32' && env.APPDATA ? env.APPDATA : join(env.HOME || homedir(), '.config'));
  return join(base, 'latch', 'credentials.json');
}

export async function saveCredentials(env: NodeJS.ProcessEnv, creds: StoredCredentials): Promise<string> {
  const file = credentialsFile(env);
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomically(file, [Buffer.from(`${JSON.stringify(creds, null, 2)}\n`, 'utf8')], true);
  chmodSync(file, 0o600);
  return file;
}

/** What `latch login` stored, or undefined when there is nothing usable. */
export function loadCredentials(env: NodeJS.ProcessEnv): StoredCredentials | undefined {
  const file = credentialsFile(env);
  if (!existsSync(file)) return undefined;
  // A file others may read has leaked its token already; it is not used.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) return undefined;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredCredentials>;
    const complete = [c.url, c.token, c.tokenId, c.userId, c.expiresAt].every((v) => typeof v === 'string');
    return complete ? (c as StoredCredentials) : undefined;
  } catch {
    return undefined;
  }
}

export function deleteCredentials(env: NodeJS.ProcessEnv): void {
  rmSync(credentialsFile(env), { force: true });
}
