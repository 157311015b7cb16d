import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBackupArchive } from '../../src/store/backup-archive.js';
import { startHarness, type Harness } from '../support/harness.js';
import { storeKind } from '../support/test-store.js';

// GET /api/v1/backup: the embedded store streams a checked archive and records backup.created; PostgreSQL
// answers with a problem saying to use pg_dump. Admins only.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const backup = (token?: string) =>
  h.latch.app.inject({
    method: 'GET',
    url: '/api/v1/backup',
    headers: { authorization: `Bearer ${token ?? h.admin.token}` },
  });

describe('GET /backup', () => {
  it('is for admins only', async () => {
    for (const role of ['member', 'auditor'] as const) {
      const res = await backup((await h.newUser(role)).token);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'forbidden' });
    }
  });

  it.runIf(storeKind() === 'embedded')(
    'streams an archive holding everything committed before it, and records backup.created',
    async () => {
      const created = await h.request('POST', '/api/v1/users', {
        body: { email: 'in-backup@example.test', name: 'In Backup' },
      });
      expect(created.status).toBe(201);
      const head = (await h.request('GET', '/api/v1/events?order=desc&limit=1')).body.items[0];

      const res = await backup();
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/x-tar');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="latch-backup-.*\.tar"$/);
      const { manifest } = decodeBackupArchive(res.rawPayload);
      expect(manifest.auditHead).toEqual({ seq: head.seq, hash: head.hash });
      expect(manifest.migrations.length).toBeGreaterThan(0);

      const events = (await h.request('GET', '/api/v1/events?type=backup.created')).body.items;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actorId: h.admin.user.id,
        seq: head.seq + 1,
        data: { bytes: res.rawPayload.length, dataSha256: manifest.data.sha256, auditSeq: head.seq },
      });
    },
  );

  it.runIf(storeKind() === 'postgres')(
    'answers 409 backup_not_supported on PostgreSQL, naming pg_dump',
    async () => {
      const res = await backup();
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'backup_not_supported' });
      expect(res.json().detail).toContain('pg_dump');
    },
  );
});
