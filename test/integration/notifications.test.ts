import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activation, Group, Notification as Notice, NotificationChannel } from '../support/api-types.js';
import type { HarnessOptions } from '../support/harness.js';
import { checkpointMac, microsOf } from '../../src/domain/audit-chain.js';
import { parseCheckpointExport } from '../../src/domain/audit-checkpoint-records.js';
import { verifySignature } from '../../src/domain/webhook-signature.js';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import { startCaptureServer, type CaptureServer } from '../support/capture-server.js';
import { ALLOW_LOOPBACK, startHarness, type Caller, type Harness } from '../support/harness.js';
import { startSmtpCapture } from '../support/smtp-capture.js';

// Notification delivery end to end: channels configured through the API, notices delivered outside the
// transaction that queued them, retries with backoff and the dead-letter list, signed webhooks, the audit
// stream to a SIEM across a restart, a real SMTP server and a Slack capture.

const OPTIONS: HarnessOptions = {
  jobs: true,
  outboundAllow: ALLOW_LOOPBACK,
  jobOptions: {
    outbox: { retry: { baseMs: 50, capMs: 200, maxAttempts: 5 }, timeoutMs: 5000 },
    stream: { retry: { baseMs: 50, capMs: 200 } },
  },
};
const SECRET_A = `whsec_a_${randomBytes(12).toString('hex')}`;
const SECRET_B = `whsec_b_${randomBytes(12).toString('hex')}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(25);
  }
}

let h: Harness;
let capture: CaptureServer;
let user: Caller;
let owner: Caller;
let counter = 0;
beforeAll(async () => {
  h = await startHarness(OPTIONS);
  capture = await startCaptureServer();
  [user, owner] = await Promise.all([h.newUser(), h.newUser()]);
});
afterAll(async () => {
  await h.close();
  await capture.close();
});

async function channel(body: Record<string, unknown>) {
  const res = await h.request('POST', '/api/v1/notification-channels', {
    body: { name: `ch-${counter++}`, ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as NotificationChannel;
}
const webhook = (path: string, extra: Record<string, unknown> = {}) =>
  channel({
    type: 'webhook',
    config: { url: `${capture.url}${path}`, secrets: [SECRET_A, SECRET_B] },
    ...extra,
  });

/** A group with break-glass for `user`, owned by `owner`, whose notices also go to these channels. */
async function breakGlassGroup(channelIds: string[]) {
  const g = (
    await h.request('POST', '/api/v1/groups', {
      body: { name: `ntf-${counter++}`, ownerUserIds: [owner.user.id] },
    })
  ).body as Group;
  expect(
    (await h.request('PUT', `/api/v1/groups/${g.id}/break-glass`, { body: { userIds: [user.user.id] } }))
      .status,
  ).toBe(200);
  const set = await h.as(owner)('PUT', `/api/v1/groups/${g.id}/notification-channels`, { channelIds });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  return g;
}
async function activate(groupId: string, reason = 'INC-1 prod down') {
  const started = performance.now();
  const res = await h.as(user)('POST', `/api/v1/groups/${groupId}/break-glass/activations`, { reason });
  const ms = performance.now() - started;
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { activation: res.body as Activation, ms };
}
const noticesFor = async (channelId: string, status?: string) => {
  const query = `channelId=${channelId}&limit=500${status ? `&status=${status}` : ''}`;
  const items = (await h.request('GET', `/api/v1/notifications?${query}`)).body.items as Notice[];
  expect(items.every((n) => n.channelId === channelId)).toBe(true);
  return items;
};

describe('channels', () => {
  it('are configured by admins, never show their secrets, and keep them across changes', async () => {
    const created = await webhook('/crud', { events: ['break_glass.activated'] });
    const shown = JSON.stringify(
      (await h.request('GET', `/api/v1/notification-channels/${created.id}`)).body,
    );
    expect(shown).not.toContain(SECRET_A);
    expect(JSON.parse(shown)).toMatchObject({
      type: 'webhook',
      config: { urlHost: new URL(capture.url).host, urlPath: '/crud' },
      secretsSet: ['url', 'secrets'],
    });
    const renamed = await h.request('PATCH', `/api/v1/notification-channels/${created.id}`, {
      body: { name: `renamed-${counter++}` },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.secretsSet).toEqual(['url', 'secrets']);
    expect((await h.request('POST', `/api/v1/notification-channels/${created.id}/test`)).body).toEqual({
      delivered: true,
      error: null,
    });
    expect(capture.at('/crud')).toHaveLength(1);
    const tested = await h.request(
      'GET',
      `/api/v1/events?type=notification_channel.tested&subjectId=${created.id}`,
    );
    expect(tested.body.items.map((e: { actorId: string; data: unknown }) => [e.actorId, e.data])).toEqual([
      [h.admin.user.id, { delivered: true, error: null }],
    ]);

    const member = await h.newUser();
    expect(
      (
        await h.as(member)('POST', '/api/v1/notification-channels', {
          name: 'x',
          type: 'slack',
          config: { webhookUrl: 'https://x.test/y' },
        })
      ).status,
    ).toBe(403);
    expect((await h.as(member)('GET', `/api/v1/notification-channels/${created.id}`)).body.config).toEqual(
      {},
    );
    const g = await breakGlassGroup([]);
    expect(
      (
        await h.as(member)('PUT', `/api/v1/groups/${g.id}/notification-channels`, {
          channelIds: [created.id],
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await h.request('PUT', `/api/v1/groups/${g.id}/notification-channels`, {
          body: { channelIds: ['chn_nope'] },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await h.request('POST', '/api/v1/notification-channels', {
          body: { name: 'bad', type: 'slack', config: { url: 'https://x.test', secrets: [SECRET_A] } },
        })
      ).status,
    ).toBe(400);
    expect((await h.request('DELETE', `/api/v1/notification-channels/${created.id}`)).status).toBe(204);
    expect((await h.request('GET', `/api/v1/notification-channels/${created.id}`)).status).toBe(404);
  });
});

describe('webhook delivery', () => {
  it('retries with backoff and delivers once the endpoint recovers; the signature verifies with both secrets', async () => {
    capture.on('/flaky', (_req, nth) => ({ status: nth <= 3 ? 500 : 204 }));
    const ch = await webhook('/flaky');
    const { activation } = await activate((await breakGlassGroup([ch.id])).id);
    const [notice] = await waitFor(async () => {
      const sent = await noticesFor(ch.id, 'sent');
      return sent.length ? sent : undefined;
    });
    expect(notice).toMatchObject({ kind: 'break_glass.activated', attempts: 4, lastError: null });
    const requests = capture.at('/flaky');
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers['x-latch-delivery']))).toEqual(new Set([notice!.id]));
    const last = requests[3]!;
    expect(last.headers['x-latch-event']).toBe('break_glass.activated');
    expect(JSON.parse(last.body)).toMatchObject({
      id: notice!.id,
      type: 'break_glass.activated',
      data: { activationId: activation.id },
    });
    const header = String(last.headers['x-latch-signature']);
    const now = Math.floor(Date.now() / 1000);
    expect(verifySignature(header, last.body, SECRET_A, now)).toBe(true);
    expect(verifySignature(header, last.body, SECRET_B, now)).toBe(true);
    expect(verifySignature(header, last.body, 'whsec_other_secret_value', now)).toBe(false);
    // What a receiver without our code computes: HMAC-SHA256 of "<t>.<body>".
    const t = /t=(\d+)/.exec(header)![1];
    expect(header).toContain(
      `v1=${createHmac('sha256', SECRET_B).update(`${t}.${last.body}`).digest('hex')}`,
    );
  });

  it('gives up after the last attempt: the notice is in the dead-letter list with its attempts and last error', async () => {
    capture.on('/down', () => ({ status: 503 }));
    const ch = await webhook('/down');
    await activate((await breakGlassGroup([ch.id])).id);
    const [dead] = await waitFor(async () => {
      const failed = await noticesFor(ch.id, 'failed');
      return failed.length ? failed : undefined;
    });
    expect(dead).toMatchObject({ status: 'failed', attempts: 5 });
    expect(dead!.lastError).toContain('HTTP 503');
    expect(capture.at('/down')).toHaveLength(5);
  });

  it('answers the activation at once while the endpoint hangs', async () => {
    // The endpoint answers after 3 s; an activation that waited for it would take at least that long.
    capture.on('/hang', () => ({ status: 200, delayMs: 3000 }));
    const ch = await webhook('/hang');
    const { ms } = await activate((await breakGlassGroup([ch.id])).id);
    expect(ms).toBeLessThan(2000);
    expect(await noticesFor(ch.id, 'sent')).toEqual([]);
    await waitFor(async () => ((await noticesFor(ch.id, 'sent')).length ? true : undefined), 12_000);
  });
});

describe('slack and e-mail', () => {
  it('posts the break-glass message to a Slack incoming webhook', async () => {
    const ch = await channel({ type: 'slack', config: { webhookUrl: `${capture.url}/slack` } });
    const g = await breakGlassGroup([ch.id]);
    await activate(g.id, 'INC-5 <queue> stuck');
    const [post] = await waitFor(() => (capture.at('/slack').length ? capture.at('/slack') : undefined));
    const body = JSON.parse(post!.body) as { text: string; blocks: { text: { text: string } }[] };
    expect(body.text).toContain(g.name);
    expect(body.text).toContain('INC-5 &lt;queue&gt; stuck');
    expect(body.blocks[0]!.text.text).toContain(user.user.email);
  });

  it('e-mails each owner and admin through a real SMTP server, naming group, user, reason and expiry', async () => {
    const smtp = await startSmtpCapture();
    try {
      await channel({
        type: 'email',
        config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'latch@example.test' },
        events: ['break_glass.activated'],
      });
      const g = await breakGlassGroup([]);
      const { activation } = await activate(g.id, 'INC-99 disk full');
      const mail = await waitFor(() =>
        smtp.mails.find((m) => m.to.includes(owner.user.email) && m.text.includes(activation.expiresAt)),
      );
      for (const s of [g.name, user.user.email, 'INC-99 disk full', activation.expiresAt])
        expect(mail.text).toContain(s);
      expect(mail.from).toBe('latch@example.test');
      await waitFor(() =>
        smtp.mails.find((m) => m.to.includes(h.admin.user.email) && m.text.includes(activation.expiresAt)),
      );
    } finally {
      await smtp.close();
    }
  });
});

describe('audit stream', () => {
  it('sends every audit event to the SIEM in order, exactly once, across a restart', async () => {
    const ch = await webhook('/siem', { allEvents: true });
    const g = (await h.request('POST', '/api/v1/groups', { body: { name: `siem-${counter++}` } })).body as {
      id: string;
    };
    await h.request('POST', `/api/v1/groups/${g.id}/members`, { body: { userId: user.user.id } });
    const seqOf = (id: string) =>
      capture
        .at('/siem')
        .map((r) => JSON.parse(r.body) as { id: string; seq: number })
        .find((e) => e.id === id);
    const head = async () =>
      (await h.latch.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq;
    const caughtUp = async () => {
      const target = Number(await head());
      return waitFor(() =>
        capture.at('/siem').some((r) => (JSON.parse(r.body) as { seq: number }).seq === target)
          ? true
          : undefined,
      );
    };
    await caughtUp();

    // Down for a while: changes happen, nothing streams; then the next start resumes after the last delivered.
    await h.restart({ ...OPTIONS, jobs: false });
    await h.request('POST', `/api/v1/groups/${g.id}/members`, { body: { userId: owner.user.id } });
    await h.request('PATCH', `/api/v1/groups/${g.id}`, { body: { description: 'while down' } });
    await h.restart(OPTIONS);
    await h.request('POST', '/api/v1/groups', { body: { name: `siem-after-${counter++}` } });
    await caughtUp();

    const created = (
      await h.request('GET', `/api/v1/events?type=notification_channel.created&subjectId=${ch.id}`)
    ).body.items[0] as { seq: number };
    const expected = (
      await h.latch.store.db
        .selectFrom('events')
        .select(['id', 'seq', 'type'])
        .where('seq', '>=', created.seq)
        .orderBy('seq')
        .execute()
    ).map((e) => e.id);
    const received = capture.at('/siem').filter((r) => r.headers['x-latch-event'] !== 'audit.checkpoint');
    expect(received.map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual(expected);
    expect(seqOf(expected[0]!)?.seq).toBe(created.seq);
    for (const r of received) {
      const event = JSON.parse(r.body) as { id: string; type: string };
      expect(r.headers['x-latch-delivery']).toBe(event.id);
      expect(r.headers['x-latch-event']).toBe(event.type);
      expect(
        verifySignature(
          String(r.headers['x-latch-signature']),
          r.body,
          SECRET_A,
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(true);
    }
    // The cursor moves just after the endpoint answers.
    const stream = async () => (await h.request('GET', `/api/v1/notification-channels/${ch.id}`)).body.stream;
    const target = Number(await head());
    await waitFor(async () => ((await stream()).lastSeq === target ? true : undefined));
    expect(await stream()).toMatchObject({ lastSeq: target, attempts: 0, lastError: null });
  });

  it('sends signed checkpoints of the chain along, each after the event it covers', async () => {
    await webhook('/siem-checkpoints', { allEvents: true });
    await h.request('POST', '/api/v1/groups', { body: { name: `siem-cp-${counter++}` } });
    // Each start checkpoints the head at once; the stream carries the checkpoint to the SIEM.
    await h.restart(OPTIONS);
    const target = Number(
      (await h.latch.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq,
    );
    const isCheckpoint = (r: { headers: Record<string, unknown> }) =>
      r.headers['x-latch-event'] === 'audit.checkpoint';
    const received = await waitFor(() => {
      const all = capture.at('/siem-checkpoints');
      return all.some((r) => isCheckpoint(r) && (JSON.parse(r.body) as { seq: number }).seq === target)
        ? all
        : undefined;
    });
    const bodies = received.map((r) => JSON.parse(r.body) as { seq: number; hash: string; record?: string });
    const checkpoints = received.filter(isCheckpoint);
    expect(checkpoints.length).toBeGreaterThanOrEqual(1);
    for (const r of checkpoints) {
      const c = JSON.parse(r.body) as {
        record: string;
        seq: number;
        hash: string;
        createdAt: string;
        mac: string;
      };
      expect(c).toEqual({
        record: 'audit.checkpoint',
        seq: expect.any(Number),
        hash: expect.any(String),
        createdAt: expect.any(String),
        mac: checkpointMac(h.latch.deps.keys.audit, {
          seq: String(c.seq),
          hash: c.hash,
          createdAtUs: microsOf(new Date(c.createdAt)),
        }),
      });
      expect(r.headers['x-latch-delivery']).toBe(`ckp_${c.seq}`);
      expect(
        verifySignature(
          String(r.headers['x-latch-signature']),
          r.body,
          SECRET_A,
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(true);
      // Right after the event it covers, whose hash it signs.
      const at = received.indexOf(r);
      expect(bodies[at - 1]).toMatchObject({ seq: c.seq, hash: c.hash });
      expect(bodies[at - 1]!.record).toBeUndefined();
    }
    // What the SIEM kept is what `latch audit verify --checkpoints` takes.
    const external = parseCheckpointExport(received.map((r) => r.body).join('\n'));
    expect(await verifyAuditLog(h.latch.deps, { externalCheckpoints: external })).toMatchObject({
      ok: true,
      checkpoints: { external: checkpoints.length },
    });
  });
});
