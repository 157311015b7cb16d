import { afterAll, beforeAll, expect } from 'vitest';
import type { Activation } from './api-types.js';
import { startHarness, type Caller, type Harness } from './harness.js';

// Break-glass through the HTTP API: one harness with four people, and the calls the break-glass tests make.

/** Registers the file's harness (started before its tests, closed after) and returns the people and calls. */
export function breakGlassKit() {
  let h: Harness;
  let people: { alice: Caller; owner: Caller; outsider: Caller; auditor: Caller };
  beforeAll(async () => {
    h = await startHarness();
    const [alice, owner, outsider, auditor] = await Promise.all([
      h.newUser(),
      h.newUser(),
      h.newUser(),
      h.newUser('auditor'),
    ]);
    people = { alice: alice!, owner: owner!, outsider: outsider!, auditor: auditor! };
  });
  afterAll(() => h.close());

  let counter = 0;
  const activate = (caller: Caller, groupId: string, body: unknown = { reason: 'prod is down' }) =>
    h.as(caller)<Activation>('POST', `/api/v1/groups/${groupId}/break-glass/activations`, body);
  return {
    get h() {
      return h;
    },
    get alice() {
      return people.alice;
    },
    get owner() {
      return people.owner;
    },
    get outsider() {
      return people.outsider;
    },
    get auditor() {
      return people.auditor;
    },
    async group(extra: Record<string, unknown> = {}) {
      const res = await h.request('POST', '/api/v1/groups', {
        body: { name: `bg-${Date.now()}-${counter++}`, ...extra },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; name: string };
    },
    async nest(parent: string, asset: Record<string, unknown>) {
      const res = await h.request('POST', `/api/v1/groups/${parent}/assets`, { body: asset });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    },
    async grant(groupId: string, userId: string) {
      const res = await h.request('POST', `/api/v1/groups/${groupId}/members`, { body: { userId } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string };
    },
    async configure(groupId: string, body: Record<string, unknown>) {
      const res = await h.request('PUT', `/api/v1/groups/${groupId}/break-glass`, { body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    },
    activate,
    async activated(caller: Caller, groupId: string, reason = 'prod is down') {
      const res = await activate(caller, groupId, { reason });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    },
    allowed: async (userId: string, query: string) =>
      (await h.request('GET', `/api/v1/access/check?userId=${userId}&${query}`)).body as {
        allowed: boolean;
        via: { grantId: string; source: string }[];
      },
    events: async (type: string, subjectId: string) =>
      (await h.request('GET', `/api/v1/events?type=${type}&subjectId=${subjectId}&limit=500`)).body.items as {
        actorId: string;
        subjects: { type: string; id: string }[];
        data: Record<string, unknown>;
      }[],
    getActivation: async (id: string) =>
      (await h.request<Activation>('GET', `/api/v1/break-glass/activations/${id}`)).body,
    list: async (query: string, caller?: Caller) =>
      (
        await h.request(
          'GET',
          `/api/v1/break-glass/activations?limit=500&${query}`,
          caller ? { token: caller.token } : {},
        )
      ).body.items as Activation[],
  };
}
