import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

// PGlite runs PostgreSQL in single-user mode, where nothing checkpoints on its own: no checkpointer process, and
// the WAL-volume trigger exists only under a postmaster. WAL then grows for as long as the process runs, and
// max_wal_size bounds only what a restart keeps. The embedded store checkpoints itself instead, once this much
// WAL has been written since the last checkpoint.

export interface CheckpointOptions {
  /** How often the WAL written since the last checkpoint is looked at (one trivial query). Default 2 s. */
  intervalMs?: number;
  /** A checkpoint once this much WAL was written since the last one. Default 32 MB. */
  walBytes?: number;
}

export interface Checkpoints {
  stop(): Promise<void>;
}

export function startEmbeddedCheckpoints(db: Kysely<Database>, options: CheckpointOptions = {}): Checkpoints {
  const intervalMs = options.intervalMs ?? 2_000;
  const walBytes = options.walBytes ?? 32 * 1024 * 1024;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const check = async () => {
    const { rows } = await sql<{ since: string }>`
      select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), (select redo_lsn from pg_control_checkpoint())) as since`.execute(
      db,
    );
    if (Number(rows[0]?.since ?? 0) >= walBytes) await sql`checkpoint`.execute(db);
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      // A failed look (the store closing under it) is retried at the next interval; nothing else depends on it.
      running = check()
        .catch(() => undefined)
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
