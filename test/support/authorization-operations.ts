/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each call expects */
import { expect } from 'vitest';
import { setCookieOf } from './browser-session.js';
import type { Caller, Response } from './harness.js';
import { uniqueEmail } from './harness.js';
import { oidcCallback, oidcLogin } from './oidc-flow.js';
import { entry } from './requests.js';
import { storeKind } from './test-store.js';
import type { Call, CallerKind, World } from './authorization-world.js';

// How to make a valid call of every operation of the API, for the authorization matrix: what the call acts on
// (set up by the admin) and the call itself, so that a 2xx means the operation did what it is for. The matrix
// (test/integration/authorization-matrix.test.ts) says who may make each call.

export interface Who {
  kind: CallerKind;
  /** Null for `none`, who calls without credentials. */
  caller: Caller | null;
}

export interface Operation<C = any> {
  /** Makes what the call acts on. */
  setup: (w: World) => Promise<C>;
  send: (ctx: C, call: Call, who: Who, w: World) => Promise<Response>;
  /**
   * The call changes what it acts on so that a second would not be the same call (a delete, a review): every
   * cell expected to succeed gets objects of its own. Refused cells share one set, which they leave unchanged.
   */
  fresh?: boolean;
  /** For listings and views that show a part only to some: whether the answer shows it (`allow`, not `filter`). */
  reveals?: (ctx: C, body: any) => boolean;
  /** A cell that cannot run on this store, and why. */
  skip?: (kind: CallerKind) => string | undefined;
}

const op = <C>(o: Operation<C>): Operation => o as Operation;
const has = (items: { id: string }[] | undefined, id: string) => (items ?? []).some((i) => i.id === id);
const subjectId = (w: World) => w.people.subject.user.id;

/** A browser session of the caller: the cookie and its CSRF token. */
async function signIn(w: World, caller: Caller) {
  const res = await w.h.request('POST', '/api/v1/session', { token: null, body: { token: caller.token } });
  expect(res.status, `signing in: ${JSON.stringify(res.body)}`).toBe(200);
  const cookie = /^latch_session=([^;]*)/.exec(setCookieOf(res))![1]!;
  return { cookie: `latch_session=${cookie}`, csrf: res.body.csrfToken as string };
}
/**
 * The caller's account at the identity provider (a new person's for `none`): single sign-on acts for whoever
 * signs in there, whatever credentials the request carries.
 */
function providerAccount(w: World, who: Who) {
  const email = who.caller?.user.email ?? uniqueEmail('sso');
  const id = who.caller?.user.id ?? `sub-${email}`;
  return w.idp.addAccount({ id, email, emailVerified: true, name: 'Matrix Person' });
}
/**
 * Single sign-on answers with redirects: to the provider (the login), back to the page (a session started), or
 * to the sign-in page with the reason (refused). Read as the statuses the table speaks of.
 */
const asOutcome = (res: Response, refusedTo: string): Response => {
  const location = String(res.headers.location ?? '');
  if (res.status !== 302 && res.status !== 303) return res;
  return { ...res, status: location.startsWith(refusedTo) ? 403 : 200 };
};

/** Only the active have a browser session; the others call as a browser without one. */
const hasSession = (who: Who) => who.caller !== null && who.kind !== 'suspended';

/** A SCIM token minted by the admin: its id. */
async function scimToken(w: World): Promise<string> {
  const res = await w.h.request('POST', '/api/v1/scim-tokens', { body: { name: w.name('scim') } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const group = {
  setup: (w: World) => w.heldGroup(),
};
const resource = {
  setup: (w: World) => w.heldResource(),
};

const review = {
  setup: (w: World) => w.accessReview(),
};

export const operations: Record<string, Operation> = {
  'GET /access-reviews': op({
    ...review,
    send: (_c, call) => call('GET', '/access-reviews?limit=500'),
    reveals: (c, body) => has(body.items, c.reviewId),
  }),
  'POST /access-reviews': op({
    ...group,
    send: (c, call, _who, w) =>
      call('POST', '/access-reviews', {
        name: w.name('review'),
        scope: { groupIds: [c.groupId] },
        reviewers: { type: 'owners' },
        deadline: new Date(Date.now() + 86_400_000).toISOString(),
      }),
  }),
  'GET /access-reviews/{id}': op({
    ...review,
    send: (c, call) => call('GET', `/access-reviews/${c.reviewId}`),
  }),
  'GET /access-reviews/{id}/rows': op({
    ...review,
    send: (c, call) => call('GET', `/access-reviews/${c.reviewId}/rows`),
    reveals: (c, body) => has(body.items, c.rowId),
  }),
  'POST /access-reviews/{id}/decisions': op({
    ...review,
    send: (c, call) =>
      call('POST', `/access-reviews/${c.reviewId}/decisions`, { rowIds: [c.rowId], decision: 'keep' }),
  }),
  'POST /access-reviews/{id}/delegations': op({
    ...review,
    send: (c, call, _who, w) =>
      call('POST', `/access-reviews/${c.reviewId}/delegations`, {
        fromUserId: w.people.owner.user.id,
        toUserId: w.people.otherOwner.user.id,
        until: new Date(Date.now() + 86_400_000).toISOString(),
      }),
  }),
  'DELETE /access-reviews/{id}/delegations/{fromUserId}': op({
    // The owner's rows handed (by an admin) to someone outside this row's columns, taken back by the caller.
    setup: async (w: World) => {
      const c = await w.accessReview();
      await w.admin(
        'POST',
        `/access-reviews/${c.reviewId}/delegations`,
        {
          fromUserId: w.people.owner.user.id,
          toUserId: w.people.parentOwner.user.id,
          until: new Date(Date.now() + 86_400_000).toISOString(),
        },
        201,
      );
      return c;
    },
    fresh: true,
    send: (c, call, _who, w) =>
      call('DELETE', `/access-reviews/${c.reviewId}/delegations/${w.people.owner.user.id}`),
  }),
  'POST /access-reviews/{id}/close': op({
    ...review,
    fresh: true,
    send: (c, call) => call('POST', `/access-reviews/${c.reviewId}/close`),
  }),
  'GET /access-reviews/{id}/report': op({
    ...review,
    send: (c, call) => call('GET', `/access-reviews/${c.reviewId}/report?format=csv`),
  }),
  'GET /access/check': op({
    ...group,
    send: (c, call, _who, w) => call('GET', `/access/check?userId=${subjectId(w)}&groupId=${c.groupId}`),
  }),
  'POST /access/check': op({
    ...group,
    send: (c, call, _who, w) =>
      call('POST', '/access/check', { checks: [{ userId: subjectId(w), groupId: c.groupId }] }),
  }),
  'GET /backup': op({
    setup: async () => ({}),
    send: (_c, call) => call('GET', '/backup'),
    skip: (kind) =>
      kind === 'admin' && storeKind() === 'postgres'
        ? 'PostgreSQL is backed up with pg_dump: 409 backup_not_supported'
        : undefined,
  }),

  'GET /break-glass/activations': op({
    setup: (w) => w.activation(),
    send: (c, call) => call('GET', `/break-glass/activations?groupId=${c.groupId}`),
    reveals: (c, body) => has(body.items, c.activationId),
  }),
  'GET /break-glass/activations/{id}': op({
    setup: (w) => w.activation(),
    send: (c, call) => call('GET', `/break-glass/activations/${c.activationId}`),
  }),
  'POST /break-glass/activations/{id}/end': op({
    setup: (w) => w.activation(),
    fresh: true,
    send: (c, call) => call('POST', `/break-glass/activations/${c.activationId}/end`, { reason: 'resolved' }),
  }),
  'POST /break-glass/activations/{id}/review': op({
    setup: (w) => w.activation(),
    fresh: true,
    send: (c, call) =>
      call('POST', `/break-glass/activations/${c.activationId}/review`, {
        outcome: 'justified',
        comment: 'a real incident',
      }),
  }),

  'GET /catalog': op({ ...group, send: (_c, call) => call('GET', '/catalog') }),

  'GET /events': op({
    ...group,
    send: (c, call) => call('GET', `/events?subjectId=${c.groupId}`),
    reveals: (_c, body) => body.items.length > 0,
  }),
  'GET /events/export': op({
    ...group,
    send: (c, call) => call('GET', `/events/export?subjectId=${c.groupId}`),
    // A CSV file: its header, then one line per event shown.
    reveals: (_c, body) => String(body).trim().split('\r\n').length > 1,
  }),
  'GET /events/checkpoints': op({
    setup: async () => ({}),
    send: (_c, call) => call('GET', '/events/checkpoints'),
  }),
  'GET /events/verify': op({ setup: async () => ({}), send: (_c, call) => call('GET', '/events/verify') }),

  'GET /grants': op({
    ...group,
    send: (c, call) => call('GET', `/grants?groupId=${c.groupId}`),
    reveals: (c, body) => has(body.items, c.grantId),
  }),
  'GET /grants/{id}': op({ ...group, send: (c, call) => call('GET', `/grants/${c.grantId}`) }),
  'DELETE /grants/{id}': op({
    ...group,
    fresh: true,
    send: (c, call) => call('DELETE', `/grants/${c.grantId}`, { reason: 'no longer needed' }),
  }),
  'POST /grants/{id}/extend': op({
    setup: (w) => w.requestedGrant(),
    send: (c, call) => call('POST', `/grants/${c.grantId}/extend`, { durationMinutes: 60 }),
  }),

  'GET /groups': op({ ...group, send: (_c, call) => call('GET', '/groups') }),
  'POST /groups': op({
    setup: async () => ({}),
    send: (_c, call, _who, w) => call('POST', '/groups', { name: w.name('new-group') }),
  }),
  'GET /groups/{id}': op({ ...group, send: (c, call) => call('GET', `/groups/${c.groupId}`) }),
  'PATCH /groups/{id}': op({
    ...group,
    send: (c, call, _who, w) => call('PATCH', `/groups/${c.groupId}`, { description: w.name('described') }),
  }),
  'DELETE /groups/{id}': op({
    ...group,
    fresh: true,
    send: (c, call) => call('DELETE', `/groups/${c.groupId}`),
  }),

  'GET /groups/{id}/assets': op({
    setup: (w) => w.nestingPair(true),
    send: (c, call) => call('GET', `/groups/${c.parentId}/assets`),
  }),
  'GET /groups/{id}/contents': op({
    setup: (w) => w.nestingPair(true),
    send: (c, call) => call('GET', `/groups/${c.parentId}/contents`),
  }),
  'POST /groups/{id}/assets': op({
    setup: (w) => w.nestingPair(false),
    fresh: true,
    send: (c, call) => call('POST', `/groups/${c.parentId}/assets`, { groupId: c.childId }),
  }),
  'DELETE /groups/{id}/assets/{assetId}': op({
    setup: (w) => w.nestingPair(true),
    fresh: true,
    send: (c, call) => call('DELETE', `/groups/${c.parentId}/assets/${c.assetId}`),
  }),

  'GET /groups/{id}/break-glass': op({
    setup: async (w) => ({ groupId: await w.breakGlassGroup() }),
    send: (c, call) => call('GET', `/groups/${c.groupId}/break-glass`),
  }),
  'PUT /groups/{id}/break-glass': op({
    ...group,
    fresh: true,
    send: (c, call, _who, w) =>
      call('PUT', `/groups/${c.groupId}/break-glass`, { userIds: [subjectId(w)], durationMinutes: 60 }),
  }),
  'POST /groups/{id}/break-glass/activations': op({
    setup: async (w) => ({ groupId: await w.breakGlassGroup() }),
    send: (c, call) => call('POST', `/groups/${c.groupId}/break-glass/activations`, { reason: 'incident' }),
  }),

  'GET /groups/{id}/members': op({
    ...group,
    send: (c, call) => call('GET', `/groups/${c.groupId}/members`),
  }),
  'POST /groups/{id}/members': op({
    ...group,
    send: (c, call, _who, w) =>
      call('POST', `/groups/${c.groupId}/members`, { userId: subjectId(w), durationMinutes: 60 }),
  }),

  'GET /groups/{id}/notification-channels': op({
    ...group,
    send: (c, call) => call('GET', `/groups/${c.groupId}/notification-channels`),
  }),
  'PUT /groups/{id}/notification-channels': op({
    setup: async (w) => ({ ...(await w.heldGroup()), channelId: await w.channel() }),
    fresh: true,
    send: (c, call) =>
      call('PUT', `/groups/${c.groupId}/notification-channels`, { channelIds: [c.channelId] }),
  }),

  'GET /groups/{id}/on-call-schedules': op({
    ...group,
    send: (c, call) => call('GET', `/groups/${c.groupId}/on-call-schedules`),
  }),
  'PUT /groups/{id}/on-call-schedules': op({
    setup: async (w) => ({ ...(await w.heldGroup()), scheduleId: await w.schedule() }),
    fresh: true,
    send: (c, call) => call('PUT', `/groups/${c.groupId}/on-call-schedules`, { scheduleIds: [c.scheduleId] }),
  }),

  'GET /groups/{id}/request-configurations': op({
    setup: async (w) => ({ groupId: await w.requestableGroup() }),
    send: (c, call) => call('GET', `/groups/${c.groupId}/request-configurations`),
  }),
  'PUT /groups/{id}/request-configurations': op({
    ...group,
    fresh: true,
    send: (c, call) => call('PUT', `/groups/${c.groupId}/request-configurations`, [entry()]),
  }),

  'GET /me': op({ setup: async () => ({}), send: (_c, call) => call('GET', '/me') }),

  'GET /notification-channels': op({
    setup: async (w) => ({ channelId: await w.channel() }),
    send: (_c, call) => call('GET', '/notification-channels?limit=500'),
    // Everyone sees which channels exist; where they send is for admins and auditors.
    reveals: (c, body) =>
      Object.keys(body.items.find((i: any) => i.id === c.channelId)?.config ?? {}).length > 0,
  }),
  'POST /notification-channels': op({
    setup: async () => ({}),
    send: (_c, call, _who, w) => call('POST', '/notification-channels', w.channelBody()),
  }),
  'GET /notification-channels/{id}': op({
    setup: async (w) => ({ channelId: await w.channel() }),
    send: (c, call) => call('GET', `/notification-channels/${c.channelId}`),
    reveals: (_c, body) => Object.keys(body.config).length > 0,
  }),
  'PATCH /notification-channels/{id}': op({
    setup: async (w) => ({ channelId: await w.channel() }),
    send: (c, call, _who, w) =>
      call('PATCH', `/notification-channels/${c.channelId}`, { name: w.name('renamed') }),
  }),
  'DELETE /notification-channels/{id}': op({
    setup: async (w) => ({ channelId: await w.channel() }),
    fresh: true,
    send: (c, call) => call('DELETE', `/notification-channels/${c.channelId}`),
  }),
  'POST /notification-channels/{id}/test': op({
    setup: async (w) => ({ channelId: await w.channel() }),
    send: (c, call) => call('POST', `/notification-channels/${c.channelId}/test`),
  }),
  'GET /notifications': op({ setup: async () => ({}), send: (_c, call) => call('GET', '/notifications') }),

  'GET /on-call-schedules': op({
    setup: async () => ({}),
    send: (_c, call) => call('GET', '/on-call-schedules'),
  }),
  'POST /on-call-schedules': op({
    setup: async () => ({}),
    send: (_c, call, _who, w) => call('POST', '/on-call-schedules', w.scheduleBody()),
  }),
  'GET /on-call-schedules/{id}': op({
    setup: async (w) => ({ scheduleId: await w.schedule() }),
    send: (c, call) => call('GET', `/on-call-schedules/${c.scheduleId}`),
  }),
  'PATCH /on-call-schedules/{id}': op({
    setup: async (w) => ({ scheduleId: await w.schedule() }),
    send: (c, call, _who, w) =>
      call('PATCH', `/on-call-schedules/${c.scheduleId}`, { name: w.name('renamed') }),
  }),
  'DELETE /on-call-schedules/{id}': op({
    setup: async (w) => ({ scheduleId: await w.schedule() }),
    fresh: true,
    send: (c, call) => call('DELETE', `/on-call-schedules/${c.scheduleId}`),
  }),
  'GET /on-call-schedules/{id}/on-call': op({
    setup: async (w) => ({ scheduleId: await w.schedule() }),
    send: (c, call) => call('GET', `/on-call-schedules/${c.scheduleId}/on-call`),
  }),
  'GET /on-call-schedules/{id}/shifts': op({
    setup: async (w) => ({ scheduleId: await w.schedule() }),
    send: (c, call) => {
      const from = new Date();
      const until = new Date(from.getTime() + 14 * 86_400_000);
      return call(
        'GET',
        `/on-call-schedules/${c.scheduleId}/shifts?from=${from.toISOString()}&until=${until.toISOString()}`,
      );
    },
  }),
  'POST /on-call-schedules/{id}/sync': op({
    setup: async (w) => ({ scheduleId: await w.schedule() }),
    send: (c, call) => call('POST', `/on-call-schedules/${c.scheduleId}/sync`),
  }),
  'GET /on-call-schedules/{id}/unmatched': op({
    setup: async (w) => ({ scheduleId: await w.schedule() }),
    send: (c, call) => call('GET', `/on-call-schedules/${c.scheduleId}/unmatched`),
  }),

  'GET /requests': op({
    setup: (w) => w.pendingRequest(),
    send: (_c, call, _who, w) => call('GET', `/requests?requesterId=${subjectId(w)}&limit=500`),
    reveals: (c, body) => has(body.items, c.requestId),
  }),
  'POST /requests': op({
    setup: async (w) => ({ groupId: await w.requestableGroup() }),
    // Each caller's own item: a second request for access already waiting would be refused as a duplicate.
    fresh: true,
    // For the subject: by themself, or by someone else on their behalf.
    send: (c, call, _who, w) =>
      call('POST', '/requests', {
        items: [{ groupId: c.groupId }],
        durationMinutes: 60,
        targetUserId: subjectId(w),
      }),
  }),
  'GET /requests/{id}': op({
    setup: (w) => w.pendingRequest(),
    send: (c, call) => call('GET', `/requests/${c.requestId}`),
  }),
  'POST /requests/{id}/approve': op({
    setup: (w) => w.pendingRequest(),
    fresh: true,
    send: (c, call) => call('POST', `/requests/${c.requestId}/approve`, { comment: 'fine' }),
  }),
  'POST /requests/{id}/deny': op({
    setup: (w) => w.pendingRequest(),
    fresh: true,
    send: (c, call) => call('POST', `/requests/${c.requestId}/deny`, { comment: 'not now' }),
  }),
  'POST /requests/{id}/cancel': op({
    setup: (w) => w.pendingRequest(),
    fresh: true,
    send: (c, call) => call('POST', `/requests/${c.requestId}/cancel`),
  }),

  'GET /resources': op({ ...resource, send: (_c, call) => call('GET', '/resources') }),
  'POST /resources': op({
    setup: async () => ({}),
    send: (_c, call, _who, w) =>
      call('POST', '/resources', { name: w.name('new-resource'), type: 'database' }),
  }),
  'GET /resources/{id}': op({ ...resource, send: (c, call) => call('GET', `/resources/${c.resourceId}`) }),
  'PATCH /resources/{id}': op({
    ...resource,
    send: (c, call, _who, w) =>
      call('PATCH', `/resources/${c.resourceId}`, { description: w.name('described') }),
  }),
  'DELETE /resources/{id}': op({
    ...resource,
    fresh: true,
    send: (c, call) => call('DELETE', `/resources/${c.resourceId}`),
  }),
  'GET /resources/{id}/members': op({
    ...resource,
    send: (c, call) => call('GET', `/resources/${c.resourceId}/members`),
  }),
  'POST /resources/{id}/members': op({
    ...resource,
    send: (c, call, _who, w) =>
      call('POST', `/resources/${c.resourceId}/members`, {
        userId: subjectId(w),
        accessLevel: 'read',
        durationMinutes: 60,
      }),
  }),
  'GET /resources/{id}/request-configurations': op({
    ...resource,
    send: (c, call) => call('GET', `/resources/${c.resourceId}/request-configurations`),
  }),
  'PUT /resources/{id}/request-configurations': op({
    ...resource,
    fresh: true,
    send: (c, call) => call('PUT', `/resources/${c.resourceId}/request-configurations`, [entry()]),
  }),

  // Browser sessions: signing in takes the caller's own token; the others go by the session cookie.
  'POST /session': op({
    setup: async () => ({}),
    send: (_c, _call, who, w) =>
      w.h.request('POST', '/api/v1/session', {
        token: null,
        body: { token: who.caller?.token ?? 'latch_matrix_no_such_token_00000000000000' },
      }),
  }),
  // Everyone's own inbox: what waits for them.
  'GET /inbox': op({ setup: async () => ({}), send: (_c, call) => call('GET', '/inbox') }),
  'POST /inbox/read': op({ setup: async () => ({}), send: (_c, call) => call('POST', '/inbox/read', {}) }),
  // Single sign-on: public, and for whoever signs in at the provider; the suspended are refused there.
  'GET /auth/methods': op({ setup: async () => ({}), send: (_c, call) => call('GET', '/auth/methods') }),
  'GET /auth/oidc/login': op({
    setup: async () => ({}),
    send: async (_c, call) => asOutcome(await call('GET', '/auth/oidc/login?returnTo=/catalog'), '/?'),
  }),
  'GET /auth/oidc/callback': op({
    setup: async () => ({}),
    fresh: true,
    send: async (_c, _call, who, w) => {
      const account = providerAccount(w, who);
      return asOutcome(await oidcCallback(w.h, await oidcLogin(w.h, account.id)), '/?signInError=');
    },
  }),
  'POST /auth/oidc/exchange': op({
    setup: async () => ({}),
    fresh: true,
    send: async (_c, call, who, w) => {
      const account = providerAccount(w, who);
      const at = Math.floor(Date.now() / 1000);
      const idToken = await w.idp.signIdToken({
        iss: w.idp.issuer,
        aud: 'latch-cli',
        sub: account.id,
        email: account.email,
        email_verified: true,
        iat: at,
        exp: at + 600,
      });
      return call('POST', '/auth/oidc/exchange', { idToken });
    },
  }),
  // Asked by the sign-in page before anyone is signed in: it reveals nothing about an account.
  'GET /session/transport': op({
    setup: async () => ({}),
    send: (_c, call) => call('GET', '/session/transport'),
  }),
  'GET /session': op({
    setup: async () => ({}),
    send: async (_c, _call, who, w) => {
      const headers: Record<string, string> = hasSession(who)
        ? { cookie: (await signIn(w, who.caller!)).cookie }
        : {};
      return w.h.request('GET', '/api/v1/session', { token: null, headers });
    },
  }),
  'DELETE /session': op({
    setup: async () => ({}),
    send: async (_c, _call, who, w) => {
      const session = hasSession(who) ? await signIn(w, who.caller!) : undefined;
      const headers: Record<string, string> = session
        ? { cookie: session.cookie, 'x-csrf-token': session.csrf }
        : {};
      return w.h.request('DELETE', '/api/v1/session', { token: null, headers });
    },
  }),

  // A search for someone, made by whoever runs an item: admins and auditors see whole accounts, owners of
  // any item cards (no role or status), others nothing.
  'GET /users': op({
    ...group,
    send: (_c, call) => call('GET', '/users?query=example'),
    reveals: (_c, body) => body.items.length > 0 && body.items.every((u: any) => 'role' in u),
  }),
  'POST /users': op({
    setup: async () => ({}),
    send: (_c, call) => call('POST', '/users', { email: uniqueEmail('matrix'), name: 'Matrix user' }),
  }),
  'GET /users/{id}': op({
    setup: async () => ({}),
    send: (_c, call, _who, w) => call('GET', `/users/${subjectId(w)}`),
  }),
  'PATCH /users/{id}': op({
    setup: async () => ({}),
    send: (_c, call, _who, w) => call('PATCH', `/users/${subjectId(w)}`, { name: w.name('Subject') }),
  }),
  'GET /users/{id}/access': op({
    ...group,
    send: (_c, call, _who, w) => call('GET', `/users/${subjectId(w)}/access`),
  }),
  'GET /connections': op({
    setup: (w) => w.connection(),
    send: (_c, call) => call('GET', '/connections'),
  }),
  'POST /connections': op({
    setup: async () => ({}),
    send: (_c, call, _who, w) =>
      call('POST', '/connections', {
        name: w.name('conn'),
        kind: 'scim',
        config: { baseUrl: w.scimTarget!.baseUrl },
        secrets: { bearerToken: w.scimTarget!.token },
        mode: 'report',
      }),
  }),
  'GET /connections/{id}': op({
    setup: (w) => w.connection(),
    send: (c, call) => call('GET', `/connections/${c.id}`),
  }),
  'PATCH /connections/{id}': op({
    setup: (w) => w.connection(),
    send: (c, call, _who, w) =>
      call('PATCH', `/connections/${c.id}`, { name: w.name('conn'), syncMinutes: 30 }),
  }),
  'DELETE /connections/{id}': op({
    setup: (w) => w.connection(),
    fresh: true,
    send: (c, call) => call('DELETE', `/connections/${c.id}`),
  }),
  'POST /connections/{id}/test': op({
    setup: (w) => w.connection(),
    send: async (c, call) => {
      const res = await call('POST', `/connections/${c.id}/test`);
      if (res.status === 200) expect(res.body, JSON.stringify(res.body)).toMatchObject({ ok: true });
      return res;
    },
  }),
  'POST /connections/{id}/sync': op({
    setup: (w) => w.connection(),
    send: (c, call) => call('POST', `/connections/${c.id}/sync`),
  }),
  'GET /connections/{id}/remote-items': op({
    setup: (w) => w.connection(),
    send: async (c, call) => {
      const res = await call('GET', `/connections/${c.id}/remote-items`);
      if (res.status === 200) expect(res.body.items.map((i: any) => i.remoteId)).toContain(c.remoteId);
      return res;
    },
  }),
  'POST /connections/{id}/import': op({
    setup: (w) => w.connection(),
    fresh: true,
    send: (c, call) =>
      call('POST', `/connections/${c.id}/import`, { remoteIds: [c.remoteId], adoptMembers: false }),
  }),
  'PUT /connections/{id}/accounts/{userId}': op({
    setup: (w) => w.connection(),
    send: (c, call, _who, w) =>
      call('PUT', `/connections/${c.id}/accounts/${subjectId(w)}`, { remoteAccount: w.name('account') }),
  }),
  'GET /connections/{id}/drift': op({
    setup: (w) => w.connection(),
    send: (c, call) => call('GET', `/connections/${c.id}/drift`),
  }),
  'GET /scim-tokens': op({
    setup: async (w) => ({ tokenId: await scimToken(w) }),
    send: (_c, call) => call('GET', '/scim-tokens'),
  }),
  'POST /scim-tokens': op({
    setup: async () => ({}),
    send: (_c, call, _who, w) => call('POST', '/scim-tokens', { name: w.name('scim') }),
  }),
  'DELETE /scim-tokens/{id}': op({
    setup: async (w) => ({ tokenId: await scimToken(w) }),
    fresh: true,
    send: (c, call) => call('DELETE', `/scim-tokens/${c.tokenId}`),
  }),
  'GET /users/{id}/tokens': op({
    setup: async () => ({}),
    send: (_c, call, _who, w) => call('GET', `/users/${subjectId(w)}/tokens`),
  }),
  'POST /users/{id}/tokens': op({
    setup: async () => ({}),
    send: (_c, call, _who, w) => call('POST', `/users/${subjectId(w)}/tokens`, { name: w.name('token') }),
  }),
  'DELETE /users/{id}/tokens/{tokenId}': op({
    setup: async (w) => ({ tokenId: await w.token() }),
    fresh: true,
    send: (c, call, _who, w) => call('DELETE', `/users/${subjectId(w)}/tokens/${c.tokenId}`),
  }),
};
