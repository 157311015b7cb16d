import { PGlite } from '@electric-sql/pglite';

// PostgreSQL settings for the embedded store. PGlite runs PostgreSQL in single-user mode inside this process, with
// PostgreSQL's server defaults: 128 MB of shared buffers, and 1 GB of WAL kept for reuse at each checkpoint. In
// one process beside the access index the buffers cost twice: they live in WebAssembly memory, which grows to its
// peak and never shrinks, and the data files are read through the kernel's page cache anyway. Checkpoints come
// from embedded-checkpoints.ts (single-user mode makes none of its own).
// `npm run bench -- growth` measures these against PGlite's defaults on dataset A.

export type EmbeddedSettings = Record<string, string>;

export const EMBEDDED_SETTINGS: EmbeddedSettings = {
  // Latch reads through its in-memory access index; the store serves writes and paged lists.
  shared_buffers: '16MB',
  // Vacuum and index builds (migrations): bounded, since this memory is kept once touched.
  maintenance_work_mem: '16MB',
  // What a checkpoint (ours, or the one at shutdown) keeps of old WAL for reuse: two 16 MB segments, the least
  // PostgreSQL allows, not up to 1 GB. Single-user mode never checkpoints on WAL volume, so nothing else changes.
  max_wal_size: '32MB',
  min_wal_size: '32MB',
};

/** PGlite's start parameters with the settings added as `-c name=value` (PGlite replaces, not merges, them). */
export function embeddedStartParams(settings: EmbeddedSettings = EMBEDDED_SETTINGS): string[] {
  return [
    ...PGlite.defaultStartParams,
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
}
