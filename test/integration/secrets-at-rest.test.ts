import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/domain/webhook-signature.js';
import type { Keys } from '../../src/keys/load-keys.js';
import { secretKeyId } from '../../src/keys/secret-box.js';
import { createLatch, type Latch } from '../../src/main.js';
import { rotateSecretKey, SecretRotationRefused } from '../../src/ops/secrets/rotate-key.js';
import { startCredentialStandIn, type CredentialStandIn } from '../support/credential-stand-in.js';
import { ALLOW_LOOPBACK, startHarness, testKeys, type Harness } from '../support/harness.js';
import { startSmtpCapture } from '../support/smtp-capture.js';

// Secrets at rest, through the whole service: channels and on-call schedules are given their secrets through the
// API, and then no table of the database, no event and no answer holds one in clear, while deliveries and syncs
// still reach receivers that accept nothing but the right credentials.

const t = () => randomBytes(8).toString('hex');
const S = {
  smtpPassword: `smtp-password-${t()}`,
  slackToken: `slacktoken${t()}`,
  hookUser: `hookuser${t()}`,
  hookPassword: `hookpassword${t()}`,
  hookQuery: `hookquery${t()}`,
  signing: `whsec_signing_${t()}`,
  signing2: `whsec_rotated_${t()}`,
  feedToken: `feedtoken${t()}`,
  feedKey: `feedkey${t()}`,
  pdToken: `pdtoken${t()}`,
  ogKey: `ogkey${t()}`,
};
const basic = Buffer.from(`${S.hookUser}:${S.hookPassword}`).toString('base64');
const ALL = [...Object.values(S), basic];

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nEND:VCALENDAR\r\n';

let h: Harness;
let keys: Keys;
let standIn: CredentialStandIn;
let n = 0;
const answers: string[] = [];

beforeAll(async () => {
  keys = testKeys();
  h = await startHarness({ keys, outboundAllow: ALLOW_LOOPBACK });
  standIn = await startCredentialStandIn();
  const ok = () => ({ body: '{}' });
  standIn.expect(`/services/T01/B02/${S.slackToken}`, { answer: ok });
  standIn.expect(`/hook/in?token=${S.hookQuery}`, {
    headers: { authorization: `Basic ${basic}` },
    answer: ok,
  });
  standIn.expect(`/private/${S.feedToken}/team.ics?key=${S.feedKey}`, {
    answer: () => ({ body: ICS, type: 'text/calendar' }),
  });
  standIn.expect('/oncalls?*', {
    headers: { authorization: `Token token=${S.pdToken}` },
    answer: () => ({ body: JSON.stringify({ oncalls: [], more: false }) }),
  });
  standIn.expect('/v2/schedules/og-1/timeline?*', {
    headers: { authorization: `GenieKey ${S.ogKey}` },
    answer: () => ({ body: JSON.stringify({ data: { finalTimeline: { rotations: [] } } }) }),
  });
});
afterAll(async () => {
  await h?.close();
  await standIn?.close();
});

/** An API call whose answer is kept, to be searched for secrets. */
async function api(method: string, url: string, body?: unknown) {
  const res = await h.request(method, url, body === undefined ? {} : { body });
  answers.push(JSON.stringify(res.body));
  return res;
}

async function created(url: string, body: Record<string, unknown>): Promise<string> {
  const res = await api('POST', url, { name: `secret-${n++}-${t()}`, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const slackUrl = () => `${standIn.url}/services/T01/B02/${S.slackToken}`;
const hookUrl = (path = '/hook/in') =>
  `${standIn.url.replace('://', `://${S.hookUser}:${S.hookPassword}@`)}${path}?token=${S.hookQuery}`;

/** Every table of the database as JSON text. */
async function tablesAsText(): Promise<Record<string, string>> {
  const db = h.latch.store.db;
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const rows = await sql<{
      j: string | null;
    }>`select json_agg(x)::text as j from ${sql.table(name)} x`.execute(db);
    out[name] = rows.rows[0]?.j ?? '';
  }
  return out;
}

async function expectNoSecretInDatabase() {
  const tables = await tablesAsText();
  expect(tables.events).toBeTruthy();
  for (const [table, text] of Object.entries(tables))
    for (const secret of ALL) expect(text.includes(secret), `${table} holds ${secret}`).toBe(false);
}

const sync = async (id: string) => (await api('POST', `/api/v1/on-call-schedules/${id}/sync`)).body;
const testChannel = async (id: string) =>
  (await api('POST', `/api/v1/notification-channels/${id}/test`)).body;

describe('secrets at rest', () => {
  it('stores channel and schedule secrets only sealed, shows them nowhere, and still uses them', async () => {
    const email = await created('/api/v1/notification-channels', {
      type: 'email',
      config: {
        host: 'smtp.example.test',
        from: 'latch@example.test',
        username: 'latch',
        password: S.smtpPassword,
      },
    });
    const slack = await created('/api/v1/notification-channels', {
      type: 'slack',
      config: { webhookUrl: slackUrl() },
    });
    const hook = await created('/api/v1/notification-channels', {
      type: 'webhook',
      config: { url: hookUrl(), secrets: [S.signing] },
    });
    const ical = await created('/api/v1/on-call-schedules', {
      provider: 'ical',
      config: { url: `${standIn.url}/private/${S.feedToken}/team.ics?key=${S.feedKey}` },
    });
    const pd = await created('/api/v1/on-call-schedules', {
      provider: 'pagerduty',
      config: { scheduleId: 'P1', apiToken: S.pdToken, baseUrl: standIn.url },
    });
    const og = await created('/api/v1/on-call-schedules', {
      provider: 'opsgenie',
      config: { scheduleId: 'og-1', apiKey: S.ogKey, baseUrl: standIn.url },
    });

    // Used at the moment of sending or fetching, against receivers that take only the right credentials.
    expect(await testChannel(slack)).toEqual({ delivered: true, error: null });
    expect(await testChannel(hook)).toEqual({ delivered: true, error: null });
    const posted = standIn.requests.filter((r) => r.url === `/hook/in?token=${S.hookQuery}`).at(-1)!;
    const now = Math.floor(Date.now() / 1000);
    expect(verifySignature(String(posted.headers['x-latch-signature']), posted.body, S.signing, now)).toBe(
      true,
    );
    for (const id of [ical, pd, og]) expect((await sync(id)).syncStatus).toBe('ok');

    // Changes keep what they leave out, and replace what they give.
    expect(
      (await api('PATCH', `/api/v1/notification-channels/${hook}`, { name: `renamed-${t()}` })).status,
    ).toBe(200);
    const rotated = await api('PATCH', `/api/v1/notification-channels/${hook}`, {
      config: { secrets: [S.signing, S.signing2] },
    });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(await testChannel(hook)).toEqual({ delivered: true, error: null });
    const resigned = standIn.requests.filter((r) => r.url === `/hook/in?token=${S.hookQuery}`).at(-1)!;
    expect(
      verifySignature(String(resigned.headers['x-latch-signature']), resigned.body, S.signing2, now),
    ).toBe(true);
    expect(
      (
        await api('PATCH', `/api/v1/on-call-schedules/${pd}`, {
          config: { scheduleId: 'P1', baseUrl: standIn.url },
        })
      ).status,
    ).toBe(200);
    expect((await sync(pd)).syncStatus).toBe('ok');

    // What is shown instead: where a secret URL points, and which secrets are set.
    const shownHook = await api('GET', `/api/v1/notification-channels/${hook}`);
    expect(shownHook.body.config).toEqual({ urlHost: new URL(standIn.url).host, urlPath: '/hook/in' });
    expect(shownHook.body.secretsSet).toEqual(['url', 'secrets']);
    expect((await api('GET', `/api/v1/notification-channels/${slack}`)).body.config).toEqual({
      webhookUrlHost: new URL(standIn.url).host,
    });
    expect((await api('GET', `/api/v1/notification-channels/${email}`)).body.secretsSet).toEqual([
      'password',
    ]);
    expect((await api('GET', `/api/v1/on-call-schedules/${ical}`)).body.config).toEqual({
      urlHost: new URL(standIn.url).host,
    });
    const updated = await api('GET', `/api/v1/events?type=notification_channel.updated&subjectId=${hook}`);
    expect(
      updated.body.items.map((e: { data: { secretsChanged: string[] } }) => e.data.secretsChanged),
    ).toEqual(expect.arrayContaining([['secrets']]));
    await api('GET', '/api/v1/notification-channels?limit=500');
    await api('GET', '/api/v1/on-call-schedules?limit=500');
    await api('GET', '/api/v1/events?limit=500');

    for (const answer of answers) for (const secret of ALL) expect(answer).not.toContain(secret);
    await expectNoSecretInDatabase();
    const rows = await h.latch.store.db
      .selectFrom('notification_channels')
      .select(['id', 'sealed_secrets'])
      .where('id', 'in', [email, slack, hook])
      .execute();
    for (const r of rows) expect(r.sealed_secrets).toMatch(/^lsb1\./);
  });

  it('sends the SMTP password only over TLS', async () => {
    const smtp = await startSmtpCapture({ offerAuthWithoutTls: true });
    try {
      const id = await created('/api/v1/notification-channels', {
        type: 'email',
        config: {
          host: '127.0.0.1',
          port: smtp.port,
          secure: false,
          from: 'latch@example.test',
          username: 'latch',
          password: S.smtpPassword,
        },
      });
      const result = await testChannel(id);
      expect(result.delivered).toBe(false);
      expect(result.error).toMatch(/TLS/);
      expect(smtp.logins).toEqual([]);
      expect(smtp.mails).toEqual([]);
    } finally {
      await smtp.close();
    }
  });

  it('keeps secrets out of delivery errors, even when the receiver echoes them back', async () => {
    const id = await created('/api/v1/notification-channels', {
      type: 'webhook',
      config: { url: hookUrl('/refused'), secrets: [S.signing] },
    });
    const result = await testChannel(id);
    expect(result.delivered).toBe(false);
    expect(result.error).toMatch(/^HTTP 404: refused POST/);
    for (const secret of ALL) expect(result.error).not.toContain(secret);
  });

  it('fails a delivery or sync under a wrong secret key with a message saying so, and recovers with the right one', async () => {
    const hook = await created('/api/v1/notification-channels', {
      type: 'webhook',
      config: { url: hookUrl(), secrets: [S.signing] },
    });
    const pd = await created('/api/v1/on-call-schedules', {
      provider: 'pagerduty',
      config: { scheduleId: 'P1', apiToken: S.pdToken, baseUrl: standIn.url },
    });
    const wrong = await createLatch(h.latch.store, {
      outboundAllow: ALLOW_LOOPBACK,
      jobs: false,
      keys: { ...keys, secret: testKeys().secret },
    });
    try {
      const call = async (method: string, url: string, payload?: unknown) => {
        const res = await wrong.app.inject({
          method: method as 'POST',
          url,
          headers: { authorization: `Bearer ${h.admin.token}` },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
        return { status: res.statusCode, body: res.json() };
      };
      const tested = await call('POST', `/api/v1/notification-channels/${hook}/test`);
      expect(tested.body).toEqual({
        delivered: false,
        error: expect.stringMatching(/^the secret key does not match/),
      });
      const synced = await call('POST', `/api/v1/on-call-schedules/${pd}/sync`);
      expect(synced.body.syncStatus).toBe('error');
      expect(synced.body.syncError).toMatch(/^the secret key does not match/);
      const renamed = await call('PATCH', `/api/v1/notification-channels/${hook}`, { name: `x-${t()}` });
      expect(renamed.status).toBe(409);
      expect(renamed.body.detail).toMatch(/secret key does not match.*give url and secrets again/);
    } finally {
      await wrong.close();
    }
    expect(await testChannel(hook)).toEqual({ delivered: true, error: null });
    expect((await sync(pd)).syncStatus).toBe('ok');
  });

  it('seals at start-up the secrets an older version stored in clear, and they still work', async () => {
    const db = h.latch.store.db;
    const now = new Date();
    const channelId = `chn_legacy_${t()}`;
    const scheduleId = `sch_legacy_${t()}`;
    await db
      .insertInto('notification_channels')
      .values({
        id: channelId,
        name: `legacy-${t()}`,
        type: 'webhook',
        config: JSON.stringify({ url: hookUrl(), secrets: [S.signing] }),
        events: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // An error recorded back then, quoting the URL as fetch used to.
    await db
      .insertInto('outbox')
      .values({
        id: `ntf_legacy_${t()}`,
        kind: 'break_glass.activated',
        channel_id: channelId,
        payload: '{}',
        status: 'failed',
        attempts: 8,
        last_error: `Request cannot be constructed from a URL that includes credentials: ${hookUrl()}`,
        next_attempt_at: now,
        created_at: now,
      })
      .execute();
    await db
      .insertInto('on_call_schedules')
      .values({
        id: scheduleId,
        name: `legacy-${t()}`,
        provider: 'ical',
        config: JSON.stringify({ urlHost: new URL(standIn.url).host }),
        secret: `${standIn.url}/private/${S.feedToken}/team.ics?key=${S.feedKey}`,
        sync_status: 'pending',
        next_sync_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();

    await h.restart();

    await expectNoSecretInDatabase();
    const sealed = await api('GET', '/api/v1/events?type=secrets.sealed&limit=500');
    const counts = sealed.body.items.map((e: { data: unknown }) => e.data);
    expect(counts).toEqual(
      expect.arrayContaining([
        { table: 'notification_channels', count: 1 },
        { table: 'on_call_schedules', count: 1 },
      ]),
    );
    expect(await testChannel(channelId)).toEqual({ delivered: true, error: null });
    expect((await sync(scheduleId)).syncStatus).toBe('ok');
    expect((await api('GET', `/api/v1/notification-channels/${channelId}`)).body.secretsSet).toEqual([
      'url',
      'secrets',
    ]);

    // A second start finds nothing left to seal.
    await h.restart();
    expect((await api('GET', '/api/v1/events?type=secrets.sealed&limit=500')).body.items).toHaveLength(
      sealed.body.items.length,
    );
  });

  it('rotates every secret to a new key in one transaction, or refuses and changes nothing', async () => {
    const hook = await created('/api/v1/notification-channels', {
      type: 'webhook',
      config: { url: hookUrl(), secrets: [S.signing] },
    });
    const feed = await created('/api/v1/on-call-schedules', {
      provider: 'ical',
      config: { url: `${standIn.url}/private/${S.feedToken}/team.ics?key=${S.feedKey}` },
    });
    const sealedColumns = async () =>
      JSON.stringify(await tablesAsText().then((t) => [t.notification_channels, t.on_call_schedules]));
    const before = await sealedColumns();
    const newKey = testKeys().secret;
    const deps = { ...h.latch.deps };

    const wrong = rotateSecretKey({ ...deps, keys: { ...keys, secret: testKeys().secret } }, newKey);
    await expect(wrong).rejects.toThrow(SecretRotationRefused);
    await expect(wrong).rejects.toThrow(/do not open under the secret key in use .*nothing was changed/);
    expect(await sealedColumns()).toBe(before);

    const result = await rotateSecretKey(deps, newKey);
    expect(result.notificationChannels).toBeGreaterThanOrEqual(1);
    expect(result.onCallSchedules).toBeGreaterThanOrEqual(1);
    expect(result.toKeyId).toBe(secretKeyId(newKey));
    await expectNoSecretInDatabase();

    // The key in use before no longer opens them; the new one does, and everything works with it.
    expect(await testChannel(hook)).toEqual({
      delivered: false,
      error: expect.stringMatching(/^the secret key does not match/),
    });
    let rotated: Latch | undefined;
    try {
      rotated = await createLatch(h.latch.store, {
        jobs: false,
        keys: { ...keys, secret: newKey },
        outboundAllow: ALLOW_LOOPBACK,
      });
      const call = async (url: string) =>
        (
          await rotated!.app.inject({
            method: 'POST',
            url,
            headers: { authorization: `Bearer ${h.admin.token}` },
          })
        ).json();
      expect(await call(`/api/v1/notification-channels/${hook}/test`)).toEqual({
        delivered: true,
        error: null,
      });
      expect((await call(`/api/v1/on-call-schedules/${feed}/sync`)).syncStatus).toBe('ok');
    } finally {
      await rotated?.close();
    }
    const events = await api('GET', '/api/v1/events?type=secrets.rotated');
    expect(events.body.items[0].data).toEqual(JSON.parse(JSON.stringify(result)));
  });
});
