import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import {
  ALLOW_LOOPBACK,
  startHarness,
  type Caller,
  type Harness,
  type Response,
} from '../support/harness.js';
import { entry } from '../support/requests.js';
import {
  deepNesting,
  hostileStrings,
  hostileTimestamps,
  hostileValue,
  schemaArbitrary,
  timestamp,
  toJson,
  type Schema,
} from '../support/schema-arbitrary.js';

// Every write endpoint of the OpenAPI document the app itself builds (so a new endpoint is fuzzed as soon as
// it exists), and every query string and list cursor, gets requests built from its own schemas with hostile
// values mixed in: deep nesting, impossible dates, lone surrogates, NUL, huge strings and numbers, wrong
// types, unknown fields. No answer may be a 5xx; every error is problem+json with a code; a refused request
// writes nothing (the audit head, moved by every change in the same transaction, stays put).

interface Operation {
  method: string;
  path: string;
  parameters?: { in: string; name: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

/**
 * Operations not fuzzed, each with its reason. Empty: every write endpoint is fuzzed. An entry here must
 * name an operation the document has.
 */
const NOT_FUZZED: Record<string, string> = {};

/** Refusals that are themselves audited, so the audit head may move although the answer is an error. */
const AUDITED_REFUSALS: Record<string, string> = {
  'POST /api/v1/groups/{id}/break-glass/activations':
    'a refused break-glass attempt is a security event, recorded as break_glass.denied',
};

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'];
const RUNS_PER_WRITE = 50;
const RUNS_PER_QUERY = 20;

let h: Harness;
let member: Caller;
let doc: {
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
  components: { schemas: Record<string, Schema> };
};
let operations: Operation[] = [];
/** Real ids by the kind of thing they name, so requests reach the operations behind the 404 checks. */
const ids: Record<string, string[]> = {};
const fuzzed = new Map<string, number>();

const resolve = (ref: string) => {
  const name = ref.replace(/^#\/components\/schemas\//, '').replace(/#$/, '');
  const schema = doc.components.schemas[name];
  if (!schema) throw new Error(`unresolved $ref ${ref}`);
  return schema;
};

async function created(method: string, url: string, body: unknown, as?: Caller): Promise<string | undefined> {
  const res = as ? await h.as(as)(method, url, body) : await h.request(method, url, { body });
  return res.status < 300 ? (res.body as { id?: string }).id : undefined;
}

beforeAll(async () => {
  h = await startHarness({ outboundAllow: ALLOW_LOOPBACK });
  member = await h.newUser('member');
  doc = h.latch.app.swagger() as unknown as typeof doc;
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
  );

  // A few real objects of every kind. The callers' own users and tokens are never used in a path, so no
  // generated request can lock a fuzzing caller out.
  const victim = await h.newUser('member');
  const group = await created('POST', '/api/v1/groups', { name: 'fuzz-group' });
  const spare = await created('POST', '/api/v1/groups', { name: 'fuzz-spare' });
  const resource = await created('POST', '/api/v1/resources', {
    name: 'fuzz-resource',
    type: 'database',
    accessLevels: ['read', 'write'],
  });
  await h.request('PUT', `/api/v1/groups/${spare}/request-configurations`, { body: [entry()] });
  const grant = await created('POST', `/api/v1/groups/${group}/members`, { userId: victim.user.id });
  const asset = await created('POST', `/api/v1/groups/${group}/assets`, { groupId: spare });
  await h.request('PUT', `/api/v1/groups/${group}/break-glass`, { body: { userIds: [member.user.id] } });
  const activation = await created(
    'POST',
    `/api/v1/groups/${group}/break-glass/activations`,
    { reason: 'fuzzing' },
    member,
  );
  const request = await created(
    'POST',
    '/api/v1/requests',
    { items: [{ groupId: spare }], durationMinutes: 60 },
    member,
  );
  const schedule = await created('POST', '/api/v1/on-call-schedules', {
    name: 'fuzz-rota',
    provider: 'builtin',
    config: {
      timezone: 'UTC',
      layers: [{ start: '2030-01-06T09:00:00Z', shiftMinutes: 60, userIds: [victim.user.id] }],
    },
  });
  // Nothing listens on port 9, so a test send fails at once instead of waiting on a network.
  const channel = await created('POST', '/api/v1/notification-channels', {
    name: 'fuzz-hook',
    type: 'webhook',
    config: { url: 'http://127.0.0.1:9/hook', secrets: ['0123456789abcdef0123'] },
  });
  const review = await created('POST', '/api/v1/access-reviews', {
    name: 'fuzz-review',
    scope: { groupIds: [group] },
    reviewers: { type: 'admins' },
    deadline: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const token = (await h.request('GET', `/api/v1/users/${victim.user.id}/tokens`)).body.items?.[0]?.id as
    string | undefined;
  const real: Record<string, (string | undefined)[]> = {
    users: [victim.user.id, (await h.newUser('auditor')).user.id],
    groups: [group, spare],
    resources: [resource],
    grants: [grant],
    assets: [asset],
    activations: [activation],
    requests: [request],
    'on-call-schedules': [schedule],
    'notification-channels': [channel],
    tokens: [token],
    'access-reviews': [review],
  };
  for (const [kind, list] of Object.entries(real)) ids[kind] = list.filter((x): x is string => !!x);
});
afterAll(() => h.close());

const kindOf = (path: string, param: string) => {
  if (param === 'assetId') return 'assets';
  if (param === 'tokenId') return 'tokens';
  const segments = path.split('/');
  return segments[segments.indexOf(`{${param}}`) - 1] ?? '';
};

const anyRealId = () => fc.constantFrom(...Object.values(ids).flat());

/** A path parameter: mostly a real id of the right kind, sometimes another kind, garbage or hostile bytes. */
const pathValue = (path: string, param: string) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: ids[kindOf(path, param)]?.length
        ? fc.constantFrom(...ids[kindOf(path, param)]!)
        : anyRealId(),
    },
    { weight: 1, arbitrary: anyRealId() },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ minLength: 1, maxLength: 80 }).map(encodeURIComponent),
        fc.constantFrom('%00', '%ED%A0%80', '%E0%A4%A', 'x'.repeat(200), '..', '%2F'),
      ),
    },
  );

/** Real ids for a field by its name (`ownerUserIds` wants users), else of any kind. */
const idsFor = (name: string) => {
  const kind = Object.entries({
    users: /user/i,
    groups: /group/i,
    resources: /resource/i,
    'on-call-schedules': /schedule/i,
    'notification-channels': /channel/i,
    grants: /grant/i,
  }).find(([, pattern]) => pattern.test(name))?.[0];
  return kind && ids[kind]?.length ? fc.constantFrom(...ids[kind]!) : anyRealId();
};

const special = (name: string, hostility: number): fc.Arbitrary<unknown> | undefined => {
  const real = idsFor(name);
  const id =
    hostility > 0 ? fc.oneof({ weight: 4, arbitrary: real }, { weight: 1, arbitrary: hostileValue }) : real;
  if (/Ids$/.test(name)) return fc.array(id, { maxLength: 3 });
  if (/Id$/.test(name)) return id;
  if (name === 'config')
    return fc.oneof(
      fc.record({
        timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'Not/AZone', '\ud800'),
        layers: fc.array(
          fc.record({
            start: timestamp,
            shiftMinutes: fc.oneof(fc.integer({ min: -10, max: 600_000 }), hostileValue),
            userIds: fc.array(idsFor('userIds'), { maxLength: 2 }),
          }),
          { maxLength: 2 },
        ),
        overrides: fc.array(fc.record({ userId: idsFor('userId'), start: timestamp, end: timestamp }), {
          maxLength: 2,
        }),
      }),
      fc.dictionary(fc.string({ maxLength: 10 }), hostileValue, { maxKeys: 3 }),
      hostileValue,
    );
  return undefined;
};

/** A whole body: from the schema (with hostile values inside), or something no schema expects. */
const bodyText = (schema: Schema | undefined): fc.Arbitrary<string | undefined> => {
  // Some bodies fit the schema entirely (to reach the operations), others carry hostile values at any depth.
  const fromSchema = schema
    ? fc
        .constantFrom(0, 0, 0.03, 0.1)
        .chain((hostility) =>
          schemaArbitrary(schema, { resolve, special: (name) => special(name, hostility), hostility }),
        )
        .map(toJson)
    : fc.constant(undefined);
  return fc.oneof(
    { weight: 12, arbitrary: fromSchema },
    { weight: 1, arbitrary: hostileValue.map(toJson) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        undefined,
        '',
        '{"a":',
        'null',
        toJson({ name: deepNesting(10_000) }),
        toJson({ items: deepNesting(100_000) }),
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        JSON.stringify({ reason: 'x'.repeat(270_000) }),
      ),
    },
  );
};

/** A query string from the operation's parameters, with hostile values and forged cursors mixed in. */
const queryText = (op: Operation): fc.Arbitrary<string> => {
  const params = (op.parameters ?? []).filter((p) => p.in === 'query');
  if (params.length === 0) return fc.constant('');
  const value = (p: (typeof params)[number]): fc.Arbitrary<unknown> =>
    p.name === 'cursor'
      ? fc.oneof(forgedCursor, fc.string({ maxLength: 40 }))
      : fc.oneof(
          { weight: 3, arbitrary: schemaArbitrary(p.schema, { resolve, hostility: 0 }) },
          {
            weight: 1,
            arbitrary: fc.oneof(
              hostileStrings,
              fc.constantFrom(...hostileTimestamps, '1e3', '-1', 'NaN', 'Infinity', '1e400'),
            ),
          },
        );
  return fc.tuple(...params.map((p) => fc.option(value(p), { nil: undefined }))).map((values) =>
    params
      .map((p, i) => (values[i] === undefined ? undefined : `${p.name}=${percent(String(values[i]))}`))
      .filter(Boolean)
      .join('&'),
  );
};

/** Percent-encoding that also writes lone surrogates (as the UTF-8 bytes of their code unit). */
const percent = (s: string) =>
  Array.from(s, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      return [
        ...Buffer.from([
          0xe0 | (ch.charCodeAt(0) >> 12),
          0x80 | ((ch.charCodeAt(0) >> 6) & 0x3f),
          0x80 | (ch.charCodeAt(0) & 0x3f),
        ]),
      ]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
  }).join('');

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const forgedCursor = fc.oneof(
  fc.constantFrom(
    'AA',
    b64('100000000000000000000'),
    b64('1e20'),
    b64('-1'),
    b64('usr_\u0000'),
    b64('["\\u0000","x"]'),
    b64('["\\ud800","x"]'),
    b64('x'.repeat(150)),
    '====',
  ),
  fc.string({ maxLength: 30 }).map(b64),
  fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('base64url')),
);

const auditHead = async () =>
  (await h.request('GET', '/api/v1/events?order=desc&limit=1')).body.items[0].seq as number;

/** Refusals are recorded as such (src/ops/audit/record-refusal.ts); nothing else may be written by one. */
const REFUSAL_EVENTS = new Set(['authorization.refused', 'session.refused']);
const writtenSince = async (seq: number) =>
  (
    (
      await h.request(
        'GET',
        `/api/v1/events?cursor=${Buffer.from(String(seq)).toString('base64url')}&limit=50`,
      )
    ).body.items as { type: string }[]
  )
    .map((e) => e.type)
    .filter((type) => !REFUSAL_EVENTS.has(type));

function expectProblem(res: Response, what: string) {
  expect(res.status, what).toBeLessThan(500);
  if (res.status < 400) return;
  expect(String(res.headers['content-type']), what).toContain('application/problem+json');
  const body = res.body as { code?: unknown; type?: unknown; status?: unknown };
  expect(typeof body.code, what).toBe('string');
  expect(body.type, what).toBe(`urn:latch:problem:${String(body.code)}`);
  expect(body.status, what).toBe(res.status);
}

const key = (op: Pick<Operation, 'method' | 'path'>) => `${op.method} ${op.path}`;

async function send(
  op: Operation,
  pathValues: string[],
  query: string,
  body: string | undefined,
  asMember: boolean,
) {
  let i = 0;
  const url = op.path.replace(/\{[^}]+\}/g, () => pathValues[i++]!) + (query ? `?${query}` : '');
  return h.request(op.method, url, {
    ...(asMember ? { token: member.token } : {}),
    ...(body !== undefined ? { rawBody: body, headers: { 'content-type': 'application/json' } } : {}),
  });
}

describe('fuzzing every endpoint from its own schema', () => {
  it('lists write operations, and skips none without a reason', () => {
    const writes = operations.filter((op) => WRITE_METHODS.includes(op.method.toLowerCase()));
    expect(writes.length).toBeGreaterThanOrEqual(30);
    for (const skipped of Object.keys(NOT_FUZZED)) expect(writes.map(key)).toContain(skipped);
    for (const audited of Object.keys(AUDITED_REFUSALS)) expect(writes.map(key)).toContain(audited);
  });

  it('never answers a query string with a 5xx, and refuses every cursor the list did not issue', async () => {
    const reads = operations.filter(
      (op) => op.method === 'GET' && (op.parameters ?? []).some((p) => p.in === 'query'),
    );
    const lists = reads.filter((op) => (op.parameters ?? []).some((p) => p.name === 'cursor'));
    expect(lists.length).toBeGreaterThanOrEqual(10);
    for (const op of reads) {
      const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...params.map((p) => pathValue(op.path, p))),
          queryText(op),
          async (pathValues, query) => {
            const res = await send(op, pathValues, query, undefined, false);
            expectProblem(
              res,
              `${key(op)} ${JSON.stringify(pathValues)} ?${query} -> ${JSON.stringify(res.body).slice(0, 300)}`,
            );
          },
        ),
        { numRuns: RUNS_PER_QUERY },
      );
    }
    for (const op of lists) {
      const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const path = params.map((p) => ids[kindOf(op.path, p)]?.[0] ?? 'x');
      for (const cursor of [
        'AA',
        b64('100000000000000000000'),
        b64('["\\u0000","x"]'),
        b64('\ud800'),
        'not-a-cursor!',
      ]) {
        const res = await send(op, path, `cursor=${encodeURIComponent(cursor)}`, undefined, false);
        expect(res.status, `${key(op)} cursor=${cursor}`).toBe(400);
        expect(res.body.code).toBe('validation_failed');
      }
    }
  });

  it('never answers a write with a 5xx or a bare error, a refused write changes nothing, and every read still works', async () => {
    // Deletions last, so the real objects the other operations aim at are still there for them.
    const writes = operations
      .filter((op) => WRITE_METHODS.includes(op.method.toLowerCase()) && !(key(op) in NOT_FUZZED))
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    let head = await auditHead();
    for (const op of writes) {
      const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...params.map((p) => pathValue(op.path, p))),
          queryText(op),
          bodyText(op.requestBody?.content['application/json']?.schema),
          // Mostly as the admin, who gets furthest into the operations; sometimes as a member.
          fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
          async (pathValues, query, body, asMember) => {
            const res = await send(op, pathValues, query, body, asMember);
            const what = `${key(op)} ${JSON.stringify(pathValues)} ?${query} ${body?.slice(0, 300)} -> ${JSON.stringify(res.body).slice(0, 300)}`;
            expectProblem(res, what);
            const next = await auditHead();
            if (res.status >= 400 && !(key(op) in AUDITED_REFUSALS))
              expect(next === head ? [] : await writtenSince(head), `wrote on refusal: ${what}`).toEqual([]);
            head = next;
            fuzzed.set(key(op), (fuzzed.get(key(op)) ?? 0) + 1);
          },
        ),
        { numRuns: RUNS_PER_WRITE },
      );
    }
    for (const op of writes) expect(fuzzed.get(key(op)), key(op)).toBe(RUNS_PER_WRITE);
    expect((await verifyAuditLog(h.latch.deps)).ok).toBe(true);
    // Whatever was accepted can be read back: no stored value makes a read fail.
    for (const op of operations.filter((o) => o.method === 'GET')) {
      const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      for (const id of params.length ? Object.values(ids).flat() : ['']) {
        const res = await send(
          op,
          params.map(() => id),
          '',
          undefined,
          false,
        );
        expectProblem(res, `${key(op)} ${id} after fuzzing -> ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    }
    // Thousands of requests: seconds alone, several times that beside the rest of the suite on two cores.
  }, 120_000);
});
