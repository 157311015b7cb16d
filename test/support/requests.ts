import { expect } from 'vitest';
import type { AccessRequest, RequestConfigurationInput, RequestItem } from './api-types.js';
import type { Caller, Harness } from './harness.js';

// Builders for the request tests: items, configurations, requests and the answers about them.

export type { AccessRequest, RequestItem };
/** A request configuration entry, as the API takes it. */
export type Entry = RequestConfigurationInput;

/** A requestable default entry reviewed by the item's owners (any one of them). */
export const entry = (over: Partial<Entry> = {}): Entry => ({
  priority: 100,
  condition: null,
  requestable: true,
  autoApprove: false,
  maxDurationMinutes: 480,
  recommendedDurationMinutes: 60,
  requireReason: false,
  reviewerStages: [{ operator: 'any', reviewers: { owners: true } }],
  ...over,
});

export function requestKit(h: Harness) {
  let counter = 0;
  const name = (prefix: string) => `${prefix}-${Date.now()}-${counter++}`;
  const ok = <T>(res: { status: number; body: T }, status = 201) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  return {
    name,
    group: async (extra: Record<string, unknown> = {}) =>
      ok(await h.request('POST', '/api/v1/groups', { body: { name: name('grp'), ...extra } })) as {
        id: string;
        name: string;
      },
    resource: async (extra: Record<string, unknown> = {}) =>
      ok(
        await h.request('POST', '/api/v1/resources', {
          body: { name: name('res'), type: 'db', accessLevels: ['read', 'admin'], ...extra },
        }),
      ) as { id: string; name: string },
    grant: async (groupId: string, userId: string) =>
      ok(await h.request('POST', `/api/v1/groups/${groupId}/members`, { body: { userId } })) as {
        id: string;
      },
    nest: async (parent: string, asset: Record<string, unknown>) =>
      ok(await h.request('POST', `/api/v1/groups/${parent}/assets`, { body: asset })),
    configure: async (path: string, list: Entry[]) =>
      ok(await h.request('PUT', `/api/v1/${path}/request-configurations`, { body: list }), 200) as Entry[],
    ask: (caller: Caller, body: Record<string, unknown>) =>
      h.as(caller)('POST', '/api/v1/requests', { durationMinutes: 60, ...body }),
    asked: async (caller: Caller, body: Record<string, unknown>) =>
      ok(await h.as(caller)('POST', '/api/v1/requests', { durationMinutes: 60, ...body })) as AccessRequest,
    approve: (caller: Caller, id: string, body: unknown = {}) =>
      h.as(caller)('POST', `/api/v1/requests/${id}/approve`, body),
    deny: (caller: Caller, id: string, body: unknown = { comment: 'no' }) =>
      h.as(caller)('POST', `/api/v1/requests/${id}/deny`, body),
    cancel: (caller: Caller, id: string) => h.as(caller)('POST', `/api/v1/requests/${id}/cancel`),
    get: async (id: string, caller?: Caller) =>
      await h.request('GET', `/api/v1/requests/${id}`, caller ? { token: caller.token } : {}),
    check: async (userId: string, query: string) =>
      (await h.request('GET', `/api/v1/access/check?userId=${userId}&${query}`)).body as {
        allowed: boolean;
        expiresAt: string | null;
        via: { grantId: string; source: string; groupIds: string[] }[];
      },
    events: async (type: string, subjectId: string) =>
      (await h.request('GET', `/api/v1/events?type=${type}&subjectId=${subjectId}&limit=500`)).body.items as {
        actorId: string | null;
        subjects: { type: string; id: string }[];
        data: Record<string, unknown>;
        createdAt: string;
      }[],
    grantRow: async (id: string) =>
      (await h.request('GET', `/api/v1/grants/${id}`)).body as {
        id: string;
        userId: string;
        source: string;
        requestId: string | null;
        createdBy: string | null;
        startsAt: string;
        expiresAt: string | null;
        status: string;
      },
  };
}
