import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditHead } from '../../src/store/events.js';
import { operations, type Who } from '../support/authorization-operations.js';
import { CALLER_KINDS, World, type CallerKind, type People } from '../support/authorization-world.js';
import { startCaptureServer, type CaptureServer } from '../support/capture-server.js';
import { ALLOW_LOOPBACK, startHarness, type Harness } from '../support/harness.js';
import { OIDC_PUBLIC_URL, oidcSettingsFor } from '../support/oidc-flow.js';
import { startTestIdp, type TestIdp } from '../support/test-idp.js';

// The authorization matrix: who may call each operation of the API. The operations come from the server's own
// OpenAPI document, so an operation without a row fails here, as does a row for an operation that is gone.
// Each cell makes a valid call (test/support/authorization-operations.ts) as one kind of caller and compares
// the answer with the table. The table says what the policy (src/domain/policy/rules.ts) and the API contract
// say should hold.
//
// Callers (columns), each a separate user:
//   none     no credentials at all
//   member   a member unrelated to the object
//   other    a member who owns another item, not this one
//   owner    a named owner of the item the call is about (of both ends, for nesting operations)
//   parent   for nesting operations: owns the parent group only
//   child    for nesting operations: owns the child group only
//   auditor  reads everything, changes nothing
//   admin    may do everything, but still only as the contract allows (break the glass only as a break-glass
//            user, decide requests only as a reviewer)
//   subject  the member the object is about: holder of the grant or activation, requester of the request, the
//            user of /users/{id}/..., the member themself (self-service); on items, a member holding a grant
//   susp     suspended, and a named owner of every item: suspension overrides ownership
//
// Outcomes:
//   allow    2xx: the operation did what it is for
//   filter   2xx, without what the caller may not see (for listings and views that show a part only to some)
//   forbid   403
//   hide     404: the object is outside the caller's view, indistinguishable from none
//   unauth   401
//   n/a      not applicable; the row says why after `#`. On operations that are not about a nesting edge, the
//            parent and child columns are always n/a: there is no edge to own an end of.

const TABLE = `
operation                                            none    member  other   owner   parent  child   auditor admin   subject susp
GET    /access/check                                 unauth  forbid  forbid  allow   n/a     n/a     allow   allow   allow   unauth
POST   /access/check                                 unauth  forbid  forbid  allow   n/a     n/a     allow   allow   allow   unauth
GET    /access-reviews                               unauth  filter  filter  allow   n/a     n/a     allow   allow   filter  unauth
POST   /access-reviews                               unauth  forbid  forbid  forbid  n/a     n/a     allow   allow   forbid  unauth
GET    /access-reviews/{id}                          unauth  hide    hide    allow   n/a     n/a     allow   allow   hide    unauth
GET    /access-reviews/{id}/rows                     unauth  hide    hide    allow   n/a     n/a     allow   allow   hide    unauth
POST   /access-reviews/{id}/decisions                unauth  hide    hide    allow   n/a     n/a     forbid  forbid  hide    unauth
POST   /access-reviews/{id}/delegations              unauth  hide    hide    allow   n/a     n/a     allow   allow   hide    unauth
DELETE /access-reviews/{id}/delegations/{fromUserId} unauth  hide    hide    allow   n/a     n/a     allow   allow   hide    unauth
POST   /access-reviews/{id}/close                    unauth  hide    hide    forbid  n/a     n/a     allow   allow   hide    unauth
GET    /access-reviews/{id}/report                   unauth  hide    hide    allow   n/a     n/a     allow   allow   hide    unauth
GET    /backup                                       unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /break-glass/activations                      unauth  filter  filter  allow   n/a     n/a     allow   allow   allow   unauth
GET    /break-glass/activations/{id}                 unauth  hide    hide    allow   n/a     n/a     allow   allow   allow   unauth
POST   /break-glass/activations/{id}/end             unauth  hide    hide    allow   n/a     n/a     forbid  allow   allow   unauth
POST   /break-glass/activations/{id}/review          unauth  hide    hide    allow   n/a     n/a     forbid  allow   forbid  unauth
GET    /catalog                                      unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
GET    /connections                                  unauth  forbid  forbid  forbid  n/a     n/a     allow   allow   forbid  unauth
POST   /connections                                  unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /connections/{id}                             unauth  forbid  forbid  forbid  n/a     n/a     allow   allow   forbid  unauth
PATCH  /connections/{id}                             unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
DELETE /connections/{id}                             unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
POST   /connections/{id}/test                        unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
POST   /connections/{id}/sync                        unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /connections/{id}/remote-items                unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
POST   /connections/{id}/import                      unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
PUT    /connections/{id}/accounts/{userId}           unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /connections/{id}/drift                       unauth  forbid  forbid  forbid  n/a     n/a     allow   allow   forbid  unauth
GET    /events                                       unauth  filter  filter  allow   n/a     n/a     allow   allow   allow   unauth
GET    /events/export                                unauth  filter  filter  allow   n/a     n/a     allow   allow   allow   unauth
GET    /events/checkpoints                           unauth  forbid  forbid  forbid  n/a     n/a     allow   allow   forbid  unauth
GET    /events/verify                                unauth  forbid  forbid  forbid  n/a     n/a     allow   allow   forbid  unauth
GET    /grants                                       unauth  filter  filter  allow   n/a     n/a     allow   allow   allow   unauth
GET    /grants/{id}                                  unauth  hide    hide    allow   n/a     n/a     allow   allow   allow   unauth
DELETE /grants/{id}                                  unauth  hide    hide    allow   n/a     n/a     forbid  allow   allow   unauth
POST   /grants/{id}/extend                           unauth  hide    hide    forbid  n/a     n/a     forbid  forbid  allow   unauth
GET    /groups                                       unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
POST   /groups                                       unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /groups/{id}                                  unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
PATCH  /groups/{id}                                  unauth  forbid  forbid  allow   n/a     n/a     forbid  allow   forbid  unauth
DELETE /groups/{id}                                  unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /groups/{id}/assets                           unauth  allow   allow   allow   allow   allow   allow   allow   allow   unauth
GET    /groups/{id}/contents                         unauth  allow   allow   allow   allow   allow   allow   allow   allow   unauth
POST   /groups/{id}/assets                           unauth  forbid  forbid  allow   forbid  forbid  forbid  allow   forbid  unauth
DELETE /groups/{id}/assets/{assetId}                 unauth  forbid  forbid  allow   forbid  forbid  forbid  allow   forbid  unauth
GET    /groups/{id}/break-glass                      unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
PUT    /groups/{id}/break-glass                      unauth  forbid  forbid  allow   n/a     n/a     forbid  allow   forbid  unauth
POST   /groups/{id}/break-glass/activations          unauth  forbid  forbid  forbid  n/a     n/a     forbid  forbid  allow   unauth
GET    /groups/{id}/members                          unauth  forbid  forbid  allow   n/a     n/a     allow   allow   forbid  unauth
POST   /groups/{id}/members                          unauth  forbid  forbid  allow   n/a     n/a     forbid  allow   forbid  unauth
GET    /groups/{id}/notification-channels            unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
PUT    /groups/{id}/notification-channels            unauth  forbid  forbid  allow   n/a     n/a     forbid  allow   forbid  unauth
GET    /groups/{id}/on-call-schedules                unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
PUT    /groups/{id}/on-call-schedules                unauth  forbid  forbid  allow   n/a     n/a     forbid  allow   forbid  unauth
GET    /groups/{id}/request-configurations           unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
PUT    /groups/{id}/request-configurations           unauth  forbid  forbid  allow   n/a     n/a     forbid  allow   forbid  unauth
GET    /me                                           unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
GET    /inbox                                        unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
POST   /inbox/read                                   unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
GET    /notification-channels                        unauth  filter  filter  filter  n/a     n/a     allow   allow   filter  unauth
POST   /notification-channels                        unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /notification-channels/{id}                   unauth  filter  filter  filter  n/a     n/a     allow   allow   filter  unauth
PATCH  /notification-channels/{id}                   unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
DELETE /notification-channels/{id}                   unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
POST   /notification-channels/{id}/test              unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /notifications                                unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /on-call-schedules                            unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
POST   /on-call-schedules                            unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /on-call-schedules/{id}                       unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
PATCH  /on-call-schedules/{id}                       unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
DELETE /on-call-schedules/{id}                       unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /on-call-schedules/{id}/on-call               unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
GET    /on-call-schedules/{id}/shifts                unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
POST   /on-call-schedules/{id}/sync                  unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /on-call-schedules/{id}/unmatched             unauth  forbid  forbid  forbid  n/a     n/a     allow   allow   forbid  unauth
GET    /requests                                     unauth  filter  filter  allow   n/a     n/a     allow   allow   allow   unauth
POST   /requests                                     unauth  forbid  forbid  allow   n/a     n/a     forbid  allow   allow   unauth
GET    /requests/{id}                                unauth  hide    hide    allow   n/a     n/a     allow   allow   allow   unauth
POST   /requests/{id}/approve                        unauth  hide    hide    allow   n/a     n/a     forbid  forbid  forbid  unauth
POST   /requests/{id}/deny                           unauth  hide    hide    allow   n/a     n/a     forbid  forbid  forbid  unauth
POST   /requests/{id}/cancel                         unauth  hide    hide    forbid  n/a     n/a     forbid  forbid  allow   unauth
GET    /resources                                    unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
POST   /resources                                    unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /resources/{id}                               unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
PATCH  /resources/{id}                               unauth  forbid  forbid  allow   n/a     n/a     forbid  allow   forbid  unauth
DELETE /resources/{id}                               unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /resources/{id}/members                       unauth  forbid  forbid  allow   n/a     n/a     allow   allow   forbid  unauth
POST   /resources/{id}/members                       unauth  forbid  forbid  allow   n/a     n/a     forbid  allow   forbid  unauth
GET    /resources/{id}/request-configurations        unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
PUT    /resources/{id}/request-configurations        unauth  forbid  forbid  allow   n/a     n/a     forbid  allow   forbid  unauth
GET    /auth/methods                                 allow   allow   allow   allow   n/a     n/a     allow   allow   allow   allow
GET    /auth/oidc/login                              allow   allow   allow   allow   n/a     n/a     allow   allow   allow   allow
GET    /auth/oidc/callback                           allow   allow   allow   allow   n/a     n/a     allow   allow   allow   forbid
POST   /auth/oidc/exchange                           allow   allow   allow   allow   n/a     n/a     allow   allow   allow   forbid
POST   /session                                      unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
GET    /session                                      unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
DELETE /session                                      allow   allow   allow   allow   n/a     n/a     allow   allow   allow   allow
GET    /session/transport                            allow   allow   allow   allow   n/a     n/a     allow   allow   allow   allow
GET    /scim-tokens                                  unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
POST   /scim-tokens                                  unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
DELETE /scim-tokens/{id}                             unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /users                                        unauth  forbid  filter  filter  n/a     n/a     allow   allow   forbid  unauth
POST   /users                                        unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /users/{id}                                   unauth  allow   allow   allow   n/a     n/a     allow   allow   allow   unauth
PATCH  /users/{id}                                   unauth  forbid  forbid  forbid  n/a     n/a     forbid  allow   forbid  unauth
GET    /users/{id}/access                            unauth  hide    hide    hide    n/a     n/a     allow   allow   allow   unauth
GET    /users/{id}/tokens                            unauth  hide    hide    hide    n/a     n/a     hide    allow   allow   unauth
POST   /users/{id}/tokens                            unauth  hide    hide    hide    n/a     n/a     hide    allow   allow   unauth
DELETE /users/{id}/tokens/{tokenId}                  unauth  hide    hide    hide    n/a     n/a     hide    allow   allow   unauth
`;

/**
 * Allowed changes that write no audit event, each with why. Every other allowed POST, PUT, PATCH or DELETE must
 * move the audit head.
 */
const NO_EVENT: Record<string, { why: string; callers?: CallerKind[] }> = {
  'POST /access/check': { why: 'a read: the questions go in a body because there may be a thousand of them' },
  'POST /inbox/read': {
    why: "moves the caller's own reading mark in their inbox: nothing about access or anyone else changes",
  },
  'DELETE /session': {
    why: 'without a live session, signing out only clears the cookie',
    callers: ['none', 'suspended'],
  },
};

/** The event a refused change must leave, when it is not `authorization.refused`. */
const REFUSAL_EVENT: Record<string, string> = {
  'POST /session': 'session.refused',
  'POST /auth/oidc/exchange': 'session.refused',
};

const OUTCOMES = ['allow', 'filter', 'forbid', 'hide', 'unauth', 'n/a'] as const;
type Outcome = (typeof OUTCOMES)[number];
const HEADER = ['none', 'member', 'other', 'owner', 'parent', 'child', 'auditor', 'admin', 'subject', 'susp'];
const NESTING_ONLY: CallerKind[] = ['parentOwner', 'childOwner'];
const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

interface Row {
  key: string;
  method: string;
  outcomes: Record<CallerKind, Outcome>;
  why: string | undefined;
}

function parseTable(text: string): { header: string[]; rows: Row[] } {
  const [head, ...lines] = text.trim().split('\n');
  const rows = lines.map((line) => {
    const [cells, why] = line.split('#').map((s) => s.trim());
    const [method, path, ...outcomes] = cells!.split(/\s+/);
    expect(outcomes.length, line).toBe(CALLER_KINDS.length);
    for (const o of outcomes) expect(OUTCOMES, line).toContain(o);
    const byKind = Object.fromEntries(CALLER_KINDS.map((k, i) => [k, outcomes[i]])) as Row['outcomes'];
    return { key: `${method} ${path}`, method: method!, outcomes: byKind, why };
  });
  return { header: head!.split(/\s+/).slice(1), rows };
}

const table = parseTable(TABLE);

let h: Harness;
let hook: CaptureServer;
let idp: TestIdp;
let w: World;
let apiOperations: string[] = [];
beforeAll(async () => {
  hook = await startCaptureServer();
  idp = await startTestIdp();
  idp.configure(OIDC_PUBLIC_URL);
  // Roles are not taken from the provider here: every caller keeps the role the matrix gave them.
  h = await startHarness({
    outboundAllow: ALLOW_LOOPBACK,
    publicUrl: new URL(OIDC_PUBLIC_URL),
    oidc: oidcSettingsFor(idp, { groupsClaim: null, adminGroups: [], auditorGroups: [] }),
  });
  const doc = (await h.request('GET', '/api/openapi.json', { token: null })).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  apiOperations = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path.slice('/api/v1'.length)}`),
    );

  const [member, otherOwner, owner, parentOwner, childOwner, auditor, subject, suspended] = await Promise.all(
    [
      h.newUser(),
      h.newUser(),
      h.newUser(),
      h.newUser(),
      h.newUser(),
      h.newUser('auditor'),
      h.newUser(),
      h.newUser(),
    ],
  );
  const people: People = {
    member: member!,
    otherOwner: otherOwner!,
    owner: owner!,
    parentOwner: parentOwner!,
    childOwner: childOwner!,
    auditor: auditor!,
    admin: h.admin,
    subject: subject!,
    suspended: suspended!,
  };
  w = new World(h, people, hook, idp);
  // The harness's own SCIM service, on loopback, is the connected system the connection calls act on.
  await h.latch.app.listen({ port: 0, host: '127.0.0.1' });
  const minted = await h.request('POST', '/api/v1/scim-tokens', { body: { name: 'connected system' } });
  w.scimTarget = {
    baseUrl: `http://127.0.0.1:${(h.latch.app.server.address() as AddressInfo).port}/scim/v2`,
    token: minted.body.token,
  };
  await w.group({ ownerUserIds: [otherOwner!.user.id] });
  await w.admin('PATCH', `/users/${suspended!.user.id}`, { status: 'suspended' });
}, 120_000);
afterAll(async () => {
  await h?.close();
  await hook?.close();
  await idp?.close();
});

describe('the authorization matrix', () => {
  it('is written as the legend says', () => {
    expect(table.header).toEqual(HEADER);
    for (const row of table.rows) {
      const nesting = NESTING_ONLY.some((k) => row.outcomes[k] !== 'n/a');
      if (nesting)
        expect(
          NESTING_ONLY.map((k) => row.outcomes[k]),
          row.key,
        ).not.toContain('n/a');
      const unexplained = CALLER_KINDS.filter((k) => !NESTING_ONLY.includes(k) && row.outcomes[k] === 'n/a');
      if (unexplained.length)
        expect(row.why, `${row.key}: n/a for ${unexplained.join(', ')} needs a # why`).toBeTruthy();
    }
    expect(new Set(table.rows.map((r) => r.key)).size).toBe(table.rows.length);
  });

  it('has a row for every operation of the API, and none for an operation that is gone', () => {
    const rows = table.rows.map((r) => r.key);
    expect(apiOperations.length).toBeGreaterThan(50);
    expect(
      apiOperations.filter((o) => !rows.includes(o)),
      'operations without a row',
    ).toEqual([]);
    expect(
      rows.filter((r) => !apiOperations.includes(r)),
      'rows for no operation',
    ).toEqual([]);
    expect(Object.keys(operations).sort(), 'a valid call for every row').toEqual([...rows].sort());
    for (const key of [...Object.keys(NO_EVENT), ...Object.keys(REFUSAL_EVENT)]) expect(rows).toContain(key);
  });

  describe.each(table.rows)('$key', (row) => {
    it('answers each caller as the table says', async () => {
      const operation = operations[row.key]!;
      const changes = CHANGES.has(row.method);
      let shared: unknown;
      const wrong: string[] = [];
      for (const kind of CALLER_KINDS) {
        const expected = row.outcomes[kind];
        if (expected === 'n/a' || operation.skip?.(kind)) continue;
        const ctx =
          expected === 'allow' && operation.fresh
            ? await operation.setup(w)
            : (shared ??= await operation.setup(w));
        const caller = kind === 'none' ? null : w.people[kind];
        const who: Who = { kind, caller };
        const before = Number((await readAuditHead(h.latch.deps.db)).seq);
        const res = await operation.send(
          ctx,
          (method, url, body, headers) =>
            h.request(method, `/api/v1${url}`, { token: caller?.token ?? null, body, headers }),
          who,
          w,
        );
        const ok = res.status >= 200 && res.status < 300;
        const got = outcomeOf(
          res.status,
          ok && operation.reveals ? operation.reveals(ctx, res.body) : undefined,
        );
        if (got !== expected) {
          wrong.push(
            `${kind}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
          continue;
        }
        if (!changes) continue;
        const written = await eventsAfter(before);
        const exempt = NO_EVENT[row.key];
        if (
          expected === 'allow' &&
          written.length === 0 &&
          !(exempt && (!exempt.callers || exempt.callers.includes(kind)))
        )
          wrong.push(`${kind}: allowed, but wrote no audit event`);
        const refusal = REFUSAL_EVENT[row.key] ?? 'authorization.refused';
        if (expected === 'forbid' && !written.includes(refusal))
          wrong.push(`${kind}: refused, but wrote no ${refusal} (wrote ${written.join(', ') || 'nothing'})`);
      }
      expect(wrong).toEqual([]);
    });
  });
});

function outcomeOf(status: number, revealed: boolean | undefined): Outcome | string {
  if (status >= 200 && status < 300) return revealed === false ? 'filter' : 'allow';
  return { 401: 'unauth', 403: 'forbid', 404: 'hide' }[status] ?? `status ${status}`;
}

async function eventsAfter(seq: number): Promise<string[]> {
  const rows = await h.latch.deps.db.selectFrom('events').select('type').where('seq', '>', seq).execute();
  return rows.map((r) => r.type);
}
