/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each call expects */
import { expect } from 'vitest';
import type { TestIdp } from './test-idp.js';
import type { CaptureServer } from './capture-server.js';
import type { Caller, Harness, Response } from './harness.js';
import { entry } from './requests.js';

// The people of the authorization matrix and the objects its cells act on, made through the API by the admin.
// Every builder makes new objects, so a cell that changes or deletes one leaves the others as they were.

export const CALLER_KINDS = [
  'none',
  'member',
  'otherOwner',
  'owner',
  'parentOwner',
  'childOwner',
  'auditor',
  'admin',
  'subject',
  'suspended',
] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

/** One signed-in person per kind but `none`, who calls without credentials. */
export type People = Record<Exclude<CallerKind, 'none'>, Caller>;

/** A call as one caller: their bearer token, or none at all. */
export type Call = <T = any>(
  method: string,
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Response<T>>;

export const WEBHOOK_SECRET = 'matrix-webhook-signing-secret';

const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export class World {
  private counter = 0;
  /** A SCIM service provider on loopback (the harness's own /scim/v2) to connect to as a connected system. */
  scimTarget: { baseUrl: string; token: string } | undefined;
  constructor(
    readonly h: Harness,
    readonly people: People,
    private readonly hook: CaptureServer,
    /** The identity provider single sign-on goes through; every person has an account there. */
    readonly idp: TestIdp,
  ) {}

  name(prefix: string) {
    return `${prefix}-${Date.now()}-${this.counter++}`;
  }

  /** A group in the SCIM target, as the app behind it holds one: its SCIM id. */
  async remoteGroup(): Promise<string> {
    const t = this.scimTarget!;
    const res = await this.h.request('POST', '/scim/v2/Groups', {
      token: t.token,
      rawBody: JSON.stringify({ schemas: [SCIM_GROUP], displayName: this.name('app-group'), members: [] }),
      headers: { 'content-type': 'application/scim+json' },
    });
    return this.expect<{ id: string }>(res, 201, 'POST /scim/v2/Groups').id;
  }

  /** A connection to the SCIM target, with one remote group in it. */
  async connection(): Promise<{ id: string; remoteId: string }> {
    const t = this.scimTarget!;
    const c = await this.admin<{ id: string }>(
      'POST',
      '/connections',
      {
        name: this.name('conn'),
        kind: 'scim',
        config: { baseUrl: t.baseUrl },
        secrets: { bearerToken: t.token },
        mode: 'report',
      },
      201,
    );
    return { id: c.id, remoteId: await this.remoteGroup() };
  }

  /** As the admin, expecting `status`. */
  async admin<T = any>(method: string, url: string, body?: unknown, status = 200): Promise<T> {
    return this.expect(
      await this.h.request<T>(method, `/api/v1${url}`, { body }),
      status,
      `${method} ${url}`,
    );
  }

  async as<T = any>(caller: Caller, method: string, url: string, body?: unknown, status = 200): Promise<T> {
    return this.expect(await this.h.as(caller)<T>(method, `/api/v1${url}`, body), status, `${method} ${url}`);
  }

  private expect<T>(res: Response<T>, status: number, what: string): T {
    expect(res.status, `setting up: ${what}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  }

  /**
   * A group the owner runs. The suspended user is a named owner too, so that their refusal shows suspension
   * overriding ownership; `extra` adds or replaces fields.
   */
  async group(extra: Record<string, unknown> = {}): Promise<string> {
    const { owner, suspended } = this.people;
    const body = { name: this.name('grp'), ownerUserIds: [owner.user.id, suspended.user.id], ...extra };
    return (await this.admin<{ id: string }>('POST', '/groups', body, 201)).id;
  }

  async resource(): Promise<string> {
    const { owner, suspended } = this.people;
    const body = {
      name: this.name('res'),
      type: 'database',
      accessLevels: ['read', 'admin'],
      ownerUserIds: [owner.user.id, suspended.user.id],
    };
    return (await this.admin<{ id: string }>('POST', '/resources', body, 201)).id;
  }

  /** A direct grant to the subject on the item. */
  async grant(item: { groupId: string } | { resourceId: string }): Promise<string> {
    const { subject } = this.people;
    const grant =
      'groupId' in item
        ? await this.admin('POST', `/groups/${item.groupId}/members`, { userId: subject.user.id }, 201)
        : await this.admin(
            'POST',
            `/resources/${item.resourceId}/members`,
            { userId: subject.user.id, accessLevel: 'read' },
            201,
          );
    return grant.id;
  }

  /** The owner's group, on which the subject holds a grant. */
  async heldGroup(): Promise<{ groupId: string; grantId: string }> {
    const groupId = await this.group();
    return { groupId, grantId: await this.grant({ groupId }) };
  }

  async heldResource(): Promise<{ resourceId: string; grantId: string }> {
    const resourceId = await this.resource();
    return { resourceId, grantId: await this.grant({ resourceId }) };
  }

  /**
   * Two groups, nested or not yet, owned so that each end has an owner of its own: the owner runs both, the
   * parent owner only the parent, the child owner only the child.
   */
  async nestingPair(nested: boolean): Promise<{ parentId: string; childId: string; assetId: string | null }> {
    const { owner, parentOwner, childOwner, suspended } = this.people;
    const both = [owner.user.id, suspended.user.id];
    const parentId = await this.group({ ownerUserIds: [...both, parentOwner.user.id] });
    const childId = await this.group({ ownerUserIds: [...both, childOwner.user.id] });
    const asset = nested
      ? await this.admin<{ id: string }>('POST', `/groups/${parentId}/assets`, { groupId: childId }, 201)
      : null;
    return { parentId, childId, assetId: asset?.id ?? null };
  }

  /** The owner's group, on which the subject (only) may break the glass. */
  async breakGlassGroup(): Promise<string> {
    const groupId = await this.group();
    await this.admin('PUT', `/groups/${groupId}/break-glass`, { userIds: [this.people.subject.user.id] });
    return groupId;
  }

  /** The subject's active break-glass activation on the owner's group. */
  async activation(): Promise<{ groupId: string; activationId: string }> {
    const groupId = await this.breakGlassGroup();
    const body = { reason: 'incident in production' };
    const activation = await this.as(
      this.people.subject,
      'POST',
      `/groups/${groupId}/break-glass/activations`,
      body,
      201,
    );
    return { groupId, activationId: activation.id };
  }

  /** The owner's group, requestable under `config` (by default reviewed by its owners). */
  async requestableGroup(config: Parameters<typeof entry>[0] = {}): Promise<string> {
    const groupId = await this.group();
    await this.admin('PUT', `/groups/${groupId}/request-configurations`, [entry(config)]);
    return groupId;
  }

  /** The subject's pending request for the owner's group, which the owner reviews. */
  async pendingRequest(): Promise<{ groupId: string; requestId: string }> {
    const groupId = await this.requestableGroup();
    const body = { items: [{ groupId }], durationMinutes: 60 };
    const request = await this.as(this.people.subject, 'POST', '/requests', body, 201);
    return { groupId, requestId: request.id };
  }

  /** A grant the subject got by an auto-approved request: the kind of grant its holder may ask to extend. */
  async requestedGrant(): Promise<{ groupId: string; grantId: string }> {
    const groupId = await this.requestableGroup({ autoApprove: true });
    const body = { items: [{ groupId }], durationMinutes: 60 };
    const request = await this.as(this.people.subject, 'POST', '/requests', body, 201);
    return { groupId, grantId: request.items[0].grantId };
  }

  /**
   * A campaign over the owner's group, on which the subject holds a grant: the owner reviews the subject's row.
   */
  async accessReview(): Promise<{ groupId: string; reviewId: string; rowId: string }> {
    const { groupId } = await this.heldGroup();
    const body = {
      name: this.name('review'),
      scope: { groupIds: [groupId] },
      reviewers: { type: 'owners' },
      deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    };
    const review = await this.admin<{ id: string }>('POST', '/access-reviews', body, 201);
    const rows = await this.admin<{ items: { id: string; userId: string }[] }>(
      'GET',
      `/access-reviews/${review.id}/rows`,
    );
    const row = rows.items.find((r) => r.userId === this.people.subject.user.id)!;
    return { groupId, reviewId: review.id, rowId: row.id };
  }

  /** One more API token of the subject's. */
  async token(): Promise<string> {
    const userId = this.people.subject.user.id;
    return (await this.admin('POST', `/users/${userId}/tokens`, { name: this.name('tok') }, 201)).id;
  }

  /** A webhook channel to the loopback capture server. */
  async channel(): Promise<string> {
    const body = this.channelBody();
    return (await this.admin('POST', '/notification-channels', body, 201)).id;
  }

  channelBody() {
    return {
      name: this.name('chan'),
      type: 'webhook',
      config: { url: `${this.hook.url}/matrix`, secrets: [WEBHOOK_SECRET] },
    };
  }

  /** A built-in rotation, no network needed: the subject is on call. */
  async schedule(): Promise<string> {
    return (await this.admin('POST', '/on-call-schedules', this.scheduleBody(), 201)).id;
  }

  scheduleBody() {
    return {
      name: this.name('rota'),
      provider: 'builtin',
      config: {
        timezone: 'UTC',
        layers: [
          {
            start: new Date(Date.now() - 60_000).toISOString(),
            shiftMinutes: 600,
            userIds: [this.people.subject.user.id],
          },
        ],
      },
    };
  }
}
