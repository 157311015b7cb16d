import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A throwaway PostgreSQL 15 cluster on 127.0.0.1: initdb + pg_ctl in a temp directory, stopped by its data
// directory. initdb refuses to run as root, so as root the cluster runs as the `postgres` system user.

export const PG_BIN = process.env.LATCH_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  dir: string;
  port: number;
  url: string;
  /** `pg_ctl restart -m fast`: every connection is terminated, the server is back when this returns. */
  restart(): void;
  /** Stops the server (fast mode), keeping its data, until `resume`. */
  pause(): void;
  resume(): void;
  stop(): void;
}

const isRoot = () => process.getuid?.() === 0;

function run(bin: string, args: string[]) {
  const cmd = join(PG_BIN, bin);
  if (isRoot()) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

export const pgAvailable = () => existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));

export function startPgCluster(port: number, dir = mkdtempSync(join(tmpdir(), 'latch-pg-'))): PgCluster {
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=200 -c shared_buffers=64MB`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  return {
    dir,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () =>
      run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-m', 'fast', '-w', 'restart']),
    pause: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    resume: () => run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']),
    stop: () => stopPgCluster(dir),
  };
}

export function stopPgCluster(dir: string) {
  try {
    run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  } catch {
    /* already stopped */
  }
  rmSync(dir, { recursive: true, force: true });
}
