import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { bootstrapAdmin } from '../../src/ops/identity/bootstrap-admin.js';
import { decodeBackupArchive, encodeBackupArchive } from '../../src/store/backup-archive.js';
import { openEmbedded } from '../../src/store/connection.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { readTar } from '../../src/store/tar.js';
import { generateKeyText, parseKey } from '../../src/keys/key-material.js';
import {
  callApi,
  freePort,
  processFixture,
  runCli,
  spawnLatch,
  stopProcess,
  type LatchProcess,
} from '../support/processes.js';

// Backup and restore of the embedded store as an operator does it, on real server processes: `latch backup`
// while writes go on, `latch restore` into a new directory and a server on it; archives it must refuse; and a
// hot copy (cp -a) of a live data directory, whose copied lock must not keep it from starting.

const TOKEN = `latch_e2e_backup_${'k'.repeat(40)}`;
const ENV = { LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test', LATCH_BOOTSTRAP_ADMIN_TOKEN: TOKEN };
const fx = processFixture();
afterAll(() => fx.cleanup());
const api = (p: LatchProcess, method: string, path: string, body?: unknown) =>
  callApi(p, TOKEN, method, path, body);
const client = (p: LatchProcess) => ({ LATCH_URL: p.url, LATCH_TOKEN: TOKEN });

const root = fx.tempDir('latch-e2e-backup-');
const source = join(root, 'source');
const archive = join(root, 'backup.tar');
let server: LatchProcess;

describe('latch backup and latch restore', () => {
  it('backs up a live server under write load; the restore holds every write acknowledged before it', async () => {
    server = await fx.serve(source, ENV);
    // The key file the server made: it must be carried apart from the backup, and copied back by the restore.
    const KEY = readFileSync(join(source, 'audit.key'), 'utf8');

    const acknowledged: { email: string; at: number }[] = [];
    let writing = true;
    const load = (async () => {
      for (let i = 0; writing; i++) {
        const email = `load-${i}@example.test`;
        const res = await api(server, 'POST', '/users', { email, name: `Load ${i}` });
        if (res.status === 201) acknowledged.push({ email, at: Date.now() });
      }
    })();
    while (acknowledged.length < 10) await new Promise((r) => setTimeout(r, 20));
    const began = Date.now();
    const backup = await runCli(['backup', archive], client(server));
    const during = acknowledged.length;
    writing = false;
    await load;
    expect(backup.code, backup.stderr).toBe(0);
    expect(acknowledged.length).toBeGreaterThan(during - 1);
    expect(backup.stdout).toContain(`wrote ${archive}`);
    expect(backup.stdout).toMatch(/audit\.key and secret\.key .* separately/);
    const before = acknowledged.filter((w) => w.at <= began).map((w) => w.email);
    expect(before.length).toBeGreaterThanOrEqual(10);

    // The archive holds the data directory's store and no key file.
    const { data } = decodeBackupArchive(readFileSync(archive));
    const names = readTar(gunzipSync(data)).map((e) => e.name);
    expect(names.some((n) => n.endsWith('PG_VERSION'))).toBe(true);
    expect(names.filter((n) => n.endsWith('.key'))).toEqual([]);
    expect(readFileSync(archive).includes(KEY)).toBe(false);
    const taken = (await api(server, 'GET', '/events?type=backup.created')).body.items;
    expect(taken).toHaveLength(1);

    const target = join(root, 'restored');
    const restore = await runCli(['restore', archive, '--data-dir', target, '--keys-from', source]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/audit chain: ok, \d+ events verified, as the backup recorded/);
    expect(restore.stdout).toContain('key files copied');
    expect(readFileSync(join(target, 'audit.key'), 'utf8')).toBe(KEY);

    const restored = await fx.serve(target, ENV);
    // Every acknowledged write from before is there; and no half transaction: every user has its user.created
    // event and every such event its user.
    const users = new Map<string, string>();
    for (let cursor = ''; ;) {
      const page = await api(restored, 'GET', `/users?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      for (const u of page.body.items as { id: string; email: string }[])
        if (u.email.startsWith('load-')) users.set(u.email, u.id);
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    expect(before.filter((email) => !users.has(email))).toEqual([]);
    const created = new Set<string>();
    for (let cursor = ''; ;) {
      const page = await api(
        restored,
        'GET',
        `/events?type=user.created&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const e of page.body.items as { subjects: { id: string }[]; data: { email?: string } }[])
        if (e.data.email?.startsWith('load-')) created.add(e.subjects[0]!.id);
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    expect([...users.values()].sort()).toEqual([...created].sort());
    expect((await api(restored, 'GET', '/events/verify')).body).toMatchObject({ ok: true });
    await stopProcess(restored);

    // Into a directory that already holds a store: refused, the store there untouched.
    const again = await runCli(['restore', archive, '--data-dir', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${target} already holds a store`);
  }, 180_000);

  it('refuses damaged and foreign archives, says when a chain does not verify, and keeps an existing backup', async () => {
    const bytes = readFileSync(archive);
    const damaged = join(root, 'damaged.tar');
    const flipped = Buffer.from(bytes);
    for (let i = 0; i < 16; i++) flipped[Math.floor(bytes.length / 2) + i]! ^= 0xff;
    writeFileSync(damaged, flipped);
    const foreign = join(root, 'foreign.tar');
    mkdirSync(join(root, 'loose'));
    writeFileSync(join(root, 'loose', 'notes.txt'), 'not a backup');
    execFileSync('tar', ['-cf', foreign, '-C', join(root, 'loose'), 'notes.txt']);

    for (const [file, message] of [
      [damaged, 'the archive is damaged'],
      [foreign, 'not a Latch backup archive'],
      [join(root, 'missing.tar'), 'cannot read'],
    ] as const) {
      const target = join(root, `target-${message.length}`);
      const res = await runCli(['restore', file, '--data-dir', target]);
      expect(res.code, file).toBe(1);
      expect(res.stderr).toContain(message);
    }

    // A well-formed archive of a store whose audit log was altered: restored, and the failure said and exited on.
    const tampered = await openEmbedded(undefined);
    await migrateToLatest(tampered.db);
    const auditKey = generateKeyText();
    const keys = { audit: parseKey(auditKey, 'test'), secret: parseKey(generateKeyText(), 'test') };
    await bootstrapAdmin({ db: tampered.db, now: () => new Date(), keys }, 'ops@example.test', TOKEN);
    await sql`update events set data = jsonb_set(data, '{email}', '"mallory@example.test"') where seq = 1`.execute(
      tampered.db,
    );
    const altered = join(root, 'altered.tar');
    writeFileSync(altered, Buffer.concat(encodeBackupArchive(await tampered.snapshot!(), 'test').chunks));
    await tampered.close();
    // Without the audit key nothing can be verified, and the restore says so rather than passing.
    const keyless = await runCli(['restore', altered, '--data-dir', join(root, 'keyless')]);
    expect(keyless.code).toBe(3);
    expect(keyless.stdout).toContain('audit chain: NOT VERIFIED, no audit key at hand');
    const restoreAltered = await runCli(['restore', altered, '--data-dir', join(root, 'altered')], {
      LATCH_AUDIT_KEY: auditKey,
    });
    expect(restoreAltered.code).toBe(3);
    expect(restoreAltered.stdout).toContain('audit chain: FAILED at seq 1');
    expect(restoreAltered.stderr).toContain('did not verify');

    // With --data-dir the CLI opens a directory no server holds, and refuses one a server holds.
    const offline = await runCli(['backup', join(root, 'offline.tar'), '--data-dir', join(root, 'restored')]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(
      decodeBackupArchive(readFileSync(join(root, 'offline.tar'))).manifest.auditHead.seq,
    ).toBeGreaterThan(0);
    const held = await runCli(['backup', join(root, 'held.tar'), '--data-dir', source]);
    expect(held.code).toBe(1);
    expect(held.stderr).toContain(`pid ${server.child.pid}`);
    expect(held.stderr).toContain('back up through it');

    const overwrite = await runCli(['backup', archive], client(server));
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toContain('already exists; give --force');
    expect(readFileSync(archive).equals(bytes)).toBe(true);
  }, 120_000);

  it('starts a hot copy of a live data directory, replacing its copied lock, while the source runs', async () => {
    const copy = join(root, 'copy');
    execFileSync('cp', ['-a', source, copy]);
    const copied = await fx.serve(copy, ENV);
    expect(copied.output()).toContain(`${copy}/latch.lock was written for another directory (${source}`);
    expect(copied.output()).toContain(`pid ${server.child.pid}`);
    expect((await api(copied, 'GET', '/events/verify')).body).toMatchObject({ ok: true });
    expect((await api(server, 'GET', '/events/verify')).body).toMatchObject({ ok: true });
    expect(
      (await api(copied, 'POST', '/users', { email: 'only-copy@example.test', name: 'Copy' })).status,
    ).toBe(201);
    expect((await api(server, 'GET', '/users?query=only-copy')).body.items).toEqual([]);

    // A second live process on either directory is still refused, naming its holder.
    for (const [dir, holder] of [
      [copy, copied],
      [source, server],
    ] as const) {
      const second = spawnLatch(['serve', '--port', String(await freePort()), '--data-dir', dir]);
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toContain(`pid ${holder.child.pid}`);
    }
  }, 120_000);
});
