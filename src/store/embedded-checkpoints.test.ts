import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbedded, type Store } from './connection.js';

const dir = mkdtempSync(join(tmpdir(), 'latch-checkpoints-'));
let store: Store | undefined;
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const redo = async (s: Store) =>
  (await sql<{ redo: string }>`select redo_lsn::text as redo from pg_control_checkpoint()`.execute(s.db))
    .rows[0]!.redo;

describe('the embedded store', () => {
  it('checkpoints by itself once enough WAL was written, so WAL does not grow while it runs', async () => {
    store = await openEmbedded(dir, undefined, { checkpoints: { intervalMs: 20, walBytes: 1024 * 1024 } });
    const s = store;
    await sql`create table filler (body text)`.execute(s.db);
    const before = await redo(s);
    await sql`insert into filler select repeat('x', 1000) from generate_series(1, 4000)`.execute(s.db);
    const deadline = Date.now() + 5_000;
    while ((await redo(s)) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await redo(s)).not.toBe(before);
  });
});
