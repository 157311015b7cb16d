import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness, type Response } from '../support/harness.js';

// Input a caller can send to break the server: deep nesting, timestamps a Date cannot hold, forged cursors,
// lone surrogates, oversized requests. Each is a 4xx problem+json with a stable code that names
// the field, and nothing is written.

let h: Harness;
let member: Caller;
let groupId: string;
beforeAll(async () => {
  h = await startHarness();
  member = await h.newUser('member');
  const g = await h.request('POST', '/api/v1/groups', { body: { name: 'hostile-input' } });
  groupId = g.body.id;
});
afterAll(() => h.close());

const auditHead = async () =>
  (await h.request('GET', '/api/v1/events?order=desc&limit=1')).body.items[0].seq as number;

function expectProblem(res: Response, status: number, code: string, field?: string) {
  const body = res.body as { code?: string; errors?: { field: string }[] };
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(body.code).toBe(code);
  if (field !== undefined) expect(body.errors?.map((e) => e.field)).toContain(field);
}

const json = (rawBody: string) => ({ rawBody, headers: { 'content-type': 'application/json' } });

describe('nesting', () => {
  it('refuses bodies nested 10,000 and 100,000 levels deep as validation_failed, leaving shallower ones to the schema', async () => {
    const before = await auditHead();
    for (const levels of [65, 10_000, 100_000]) {
      const deep = `{"name":${'['.repeat(levels)}${']'.repeat(levels)}}`;
      const res = await h.request('POST', '/api/v1/groups', json(deep));
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors[0].field).toMatch(/^body\.name\.0\.0/);
      expect(res.body.detail).toContain('deeper than 64 levels');
    }
    const shallow = await h.request(
      'POST',
      '/api/v1/groups',
      json(`{"name":${'['.repeat(60)}${']'.repeat(60)}}`),
    );
    expectProblem(shallow, 400, 'validation_failed', 'body.name');
    expect(shallow.body.detail).toContain('must be string');
    const config = `{"name":"deep-config","provider":"ical","config":{"url":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    expectProblem(
      await h.request('POST', '/api/v1/on-call-schedules', json(config)),
      400,
      'validation_failed',
    );
    expect(await auditHead()).toBe(before);
  });
});

describe('timestamps', () => {
  const bad = [
    '2026-06-30T23:59:60Z',
    '+010000-01-01T00:00:00Z',
    '10000-01-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '2026-01-01\n00:00:00Z',
    '2026-01-01T00:00:00.1234567890Z',
  ];

  it('refuses timestamps outside the one rule in every body and query string that takes one, writing nothing', async () => {
    const before = await auditHead();
    const schedule = (start: string, override?: string) => ({
      name: `rota-${Math.random()}`,
      provider: 'builtin',
      config: {
        timezone: 'UTC',
        layers: [{ start, shiftMinutes: 60, userIds: [member.user.id] }],
        ...(override ? { overrides: [{ userId: member.user.id, start: override, end: override }] } : {}),
      },
    });
    for (const t of bad) {
      const q = encodeURIComponent(t);
      expectProblem(
        await h.request('GET', `/api/v1/events?since=${q}`),
        400,
        'validation_failed',
        'querystring.since',
      );
      expectProblem(
        await h.request('GET', `/api/v1/events?until=${q}`),
        400,
        'validation_failed',
        'querystring.until',
      );
      const writes: [string, string, unknown, string][] = [
        ['POST', `/api/v1/users/${member.user.id}/tokens`, { name: 't', expiresAt: t }, 'body.expiresAt'],
        [
          'POST',
          `/api/v1/groups/${groupId}/members`,
          { userId: member.user.id, expiresAt: t },
          'body.expiresAt',
        ],
        [
          'POST',
          `/api/v1/groups/${groupId}/members`,
          { userId: member.user.id, startsAt: t },
          'body.startsAt',
        ],
        ['POST', '/api/v1/on-call-schedules', schedule(t), 'config.layers.0.start'],
        [
          'POST',
          '/api/v1/on-call-schedules',
          schedule('2030-01-06T09:00:00Z', t),
          'config.overrides.0.start',
        ],
      ];
      for (const [method, url, body, field] of writes)
        expectProblem(await h.request(method, url, { body }), 400, 'validation_failed', field);
    }
    expect(await auditHead()).toBe(before);
  });

  it('refuses a grant that would end after the last timestamp, so every list can still write its times', async () => {
    const before = await auditHead();
    const res = await h.request('POST', `/api/v1/groups/${groupId}/members`, {
      body: { userId: member.user.id, startsAt: '9999-12-31T23:00:00Z', durationMinutes: 5_256_000 },
    });
    expectProblem(res, 400, 'validation_failed', 'durationMinutes');
    expect(await auditHead()).toBe(before);
    const last = await h.request('POST', `/api/v1/groups/${groupId}/members`, {
      body: {
        userId: member.user.id,
        startsAt: '9999-12-31T23:00:00Z',
        expiresAt: '9999-12-31T23:59:59.999Z',
      },
    });
    expect(last.status, JSON.stringify(last.body)).toBe(201);
    expect((await h.request('GET', `/api/v1/grants?groupId=${groupId}`)).status).toBe(200);
  });

  it('answers on-call?at= with a bad timestamp as validation_failed', async () => {
    const s = await h.request('POST', '/api/v1/on-call-schedules', {
      body: {
        name: 'rota-at',
        provider: 'builtin',
        config: {
          timezone: 'UTC',
          layers: [{ start: '2030-01-06T09:00:00Z', shiftMinutes: 60, userIds: [member.user.id] }],
        },
      },
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    for (const t of bad)
      expectProblem(
        await h.request('GET', `/api/v1/on-call-schedules/${s.body.id}/on-call?at=${encodeURIComponent(t)}`),
        400,
        'validation_failed',
        'querystring.at',
      );
  });
});

describe('cursors', () => {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  const lists = [
    '/api/v1/users',
    '/api/v1/groups',
    '/api/v1/resources',
    '/api/v1/grants',
    '/api/v1/requests',
    '/api/v1/break-glass/activations',
    '/api/v1/notifications',
    '/api/v1/notification-channels',
    '/api/v1/on-call-schedules',
    '/api/v1/events',
    '/api/v1/events/checkpoints',
    '/api/v1/catalog',
  ];

  it('refuses on every list a cursor it did not issue, naming cursor, and follows those it did', async () => {
    const forged = [
      'AA',
      b64('100000000000000000000'),
      b64('1e20'),
      b64('\uFFFD'),
      'not*base64',
      b64('["\\u0000","x"]'),
      b64('["a\\ud800","x"]'),
    ];
    for (const list of [...lists, `/api/v1/groups/${groupId}/members`]) {
      for (const cursor of forged) {
        const res = await h.request('GET', `${list}?cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, `${list} ${cursor}`).toBe(400);
        expectProblem(res, 400, 'validation_failed', 'cursor');
      }
    }
    // ...and still follows the cursors the lists do issue.
    const other = await h.newUser('member');
    for (const userId of [member.user.id, other.user.id])
      await h.request('POST', `/api/v1/groups/${groupId}/members`, { body: { userId } });
    for (const list of ['/api/v1/users', '/api/v1/events', `/api/v1/groups/${groupId}/members`]) {
      const first = await h.request('GET', `${list}?limit=1`);
      expect(first.status).toBe(200);
      expect(first.body.nextCursor, list).toEqual(expect.any(String));
      const next = await h.request('GET', `${list}?limit=1&cursor=${first.body.nextCursor}`);
      expect(next.status, JSON.stringify(next.body)).toBe(200);
    }
  });
});

describe('text', () => {
  it('refuses a lone surrogate in any string of a body, naming the field, and writes nothing', async () => {
    const before = await auditHead();
    expectProblem(
      await h.request('POST', '/api/v1/groups', json('{"name":"bad\\ud800name"}')),
      400,
      'validation_failed',
      'body.name',
    );
    expectProblem(
      await h.request('POST', '/api/v1/groups', json('{"name":"ok","description":"tail\\udc00"}')),
      400,
      'validation_failed',
      'body.description',
    );
    expectProblem(
      await h.request(
        'POST',
        `/api/v1/groups/${groupId}/break-glass/activations`,
        json('{"reason":"db \\ud83d down"}'),
      ),
      400,
      'validation_failed',
      'body.reason',
    );
    expectProblem(
      await h.request(
        'POST',
        '/api/v1/requests',
        json(`{"items":[{"groupId":"${groupId}"}],"durationMinutes":60,"reason":"\\udbff"}`),
      ),
      400,
      'validation_failed',
      'body.reason',
    );
    expectProblem(
      await h.request('POST', '/api/v1/groups', json('{"name":"nul\\u0000"}')),
      400,
      'validation_failed',
      'body.name',
    );
    expect(await auditHead()).toBe(before);
    const ok = await h.request('POST', '/api/v1/groups', json('{"name":"emoji \\ud83d\\ude00 ok"}'));
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe('emoji \u{1F600} ok');
  });

  it('refuses NUL in query strings and path parameters, naming the field', async () => {
    expectProblem(
      await h.request('GET', '/api/v1/users?query=a%00b'),
      400,
      'validation_failed',
      'querystring.query',
    );
    expectProblem(await h.request('GET', '/api/v1/users/usr_%00'), 400, 'validation_failed', 'params.id');
  });
});

describe('the error envelope', () => {
  it('answers malformed URLs with problem+json', async () => {
    expectProblem(await h.request('GET', '/api/v1/users/%E0%A4%A'), 400, 'malformed_request');
    expectProblem(await h.request('GET', '/api/v1/users/%ED%A0%80'), 400, 'malformed_request');
  });

  it('answers an over-long path segment with 414 uri_too_long', async () => {
    const res = await h.request('POST', `/api/v1/groups/${'x'.repeat(200)}/members`, {
      body: { userId: member.user.id },
    });
    expectProblem(res, 414, 'uri_too_long');
  });

  it('answers what the HTTP parser refuses (oversized URL or headers, garbage) with problem+json', async () => {
    const address = await h.latch.app.listen({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(address).port);
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        let out = '';
        const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
        socket.on('data', (d) => (out += d.toString('latin1')));
        socket.on('close', () => resolve(out));
        socket.on('error', () => undefined);
      });
    const parse = (response: string) => {
      const [head, body] = response.split('\r\n\r\n');
      return { status: Number(head!.split(' ')[1]), head: head!.toLowerCase(), body: JSON.parse(body!) };
    };
    const cases: [string, number, string][] = [
      [`GET /api/v1/users?x=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'header_too_large'],
      [`GET /api/v1/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'header_too_large'],
      [
        `GET /api/v1/users HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'header_too_large',
      ],
      ['NOT HTTP AT ALL\r\n\r\n', 400, 'malformed_request'],
      ['POST /api/v1/groups HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400, 'malformed_request'],
    ];
    for (const [request, status, code] of cases) {
      const res = parse(await raw(request));
      expect(res.status, request.slice(0, 40)).toBe(status);
      expect(res.head).toContain('content-type: application/problem+json');
      expect(res.body).toMatchObject({ status, code, type: `urn:latch:problem:${code}` });
    }
  });
});
