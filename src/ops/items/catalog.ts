import type { Target } from '../../domain/access-facts.js';
import { isBreakGlassUser } from '../../domain/break-glass.js';
import { invalid } from '../../domain/errors.js';
import { matchConfiguration, type RequestConfiguration } from '../../domain/request-config.js';
import type { Actor } from '../../domain/users.js';
import { settingsOfGroups } from '../../store/break-glass-settings.js';
import { catalogPage, type CatalogRow } from '../../store/catalog.js';
import { listActivations } from '../../store/break-glass.js';
import { configurationsByItem } from '../../store/request-configurations.js';
import { waitingRequestItems } from '../../store/request-queries.js';
import type { OpsDeps } from '../shared/deps.js';

export interface CatalogAccess {
  hasAccess: boolean;
  accessExpiresAt: string | null;
}

export interface CatalogEntry extends CatalogAccess {
  type: 'group' | 'resource';
  id: string;
  name: string;
  description: string;
  /** Resources only: access at each level. */
  accessLevels?: ({ accessLevel: string } & CatalogAccess)[];
  actions: { request: boolean; breakGlass: boolean };
  /** The caller's own requests for the item still waiting for a decision, and whom they wait for. */
  waiting: { requestId: string; accessLevel: string | null; requestedAt: string; reviewerIds: string[] }[];
  /** Groups only: the caller's break-glass activation on the group, while it is active. */
  breakGlassActivation: { id: string; expiresAt: string } | null;
  /** The terms a request by the caller would get, when they can request the item. */
  requestTerms: Pick<
    RequestConfiguration,
    'autoApprove' | 'maxDurationMinutes' | 'recommendedDurationMinutes' | 'requireReason'
  > | null;
}

// Text a query can compare against: PostgreSQL refuses NUL, and a lone surrogate is not text at all.
const comparable = (x: unknown): x is string =>
  typeof x === 'string' && x.length <= 1000 && !x.includes('\u0000') && !/\p{Cs}/u.test(x);

const encode = (row: CatalogRow) => Buffer.from(JSON.stringify([row.sort_key, row.id])).toString('base64url');

function decode(cursor: string | undefined) {
  if (!cursor) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && v.every(comparable))
      return { sortKey: v[0] as string, id: v[1] as string };
  } catch {
    // fall through: any unreadable cursor is the same mistake
  }
  throw invalid('cursor', 'is not a cursor this list handed out');
}

/**
 * What the caller can ask for, and what they already have: every live group and resource with the caller's
 * current access (from the access index) and which actions are open to them now.
 */
export async function listCatalog(
  deps: OpsDeps,
  actor: Actor,
  q: { query?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: CatalogEntry[]; nextCursor: string | null }> {
  const now = deps.now();
  const at = now.getTime();
  const rows = await catalogPage(deps.db, { query: q.query, after: decode(q.cursor), limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const configs = await configurationsByItem(
    deps.db,
    page.map((r) => r.id),
  );
  const [waiting, activations] = await Promise.all([
    waitingRequestItems(
      deps.db,
      actor.id,
      page.map((r) => r.id),
      now,
    ),
    listActivations(deps.db, { userId: actor.id, active: true, limit: 1000 }, now),
  ]);
  // The page's break-glass settings in one read, not one per group (a page of 500 queued 1,000 queries).
  const breakGlassSettings = await settingsOfGroups(
    deps.db,
    page.filter((r) => r.type === 'group').map((r) => r.id),
  );
  const waitingFor = (itemId: string) =>
    waiting
      .filter((w) => w.groupId === itemId || w.resourceId === itemId)
      .map((w) => ({
        requestId: w.requestId,
        accessLevel: w.accessLevel,
        requestedAt: w.requestedAt.toISOString(),
        reviewerIds: w.reviewerIds,
      }));
  const isMemberOf = (groupId: string) => deps.index.isAllowed(actor.id, { groupId }, at);
  const accessTo = (target: Target): CatalogAccess => {
    const end = deps.index.accessEnd(actor.id, target, at);
    return { hasAccess: end !== undefined, accessExpiresAt: end ? new Date(end).toISOString() : null };
  };
  const items = page.map((row): CatalogEntry => {
    const config = matchConfiguration(configs.get(row.id) ?? [], isMemberOf);
    const requestTerms = config?.requestable
      ? {
          autoApprove: config.autoApprove,
          maxDurationMinutes: config.maxDurationMinutes,
          recommendedDurationMinutes: config.recommendedDurationMinutes,
          requireReason: config.requireReason,
        }
      : null;
    const base = {
      type: row.type,
      id: row.id,
      name: row.name,
      description: row.description,
      requestTerms,
      waiting: waitingFor(row.id),
    };
    if (row.type === 'group') {
      const breakGlass = isBreakGlassUser(breakGlassSettings.get(row.id)!, actor.id, isMemberOf);
      const active = activations.find((a) => a.groupId === row.id);
      return {
        ...base,
        ...accessTo({ groupId: row.id }),
        actions: { request: !!requestTerms, breakGlass },
        breakGlassActivation: active ? { id: active.id, expiresAt: active.expiresAt } : null,
      };
    }
    const levels = (row.access_levels ?? []).map((accessLevel) => ({
      accessLevel,
      ...accessTo({ resourceId: row.id, accessLevel }),
    }));
    const held = levels.filter((l) => l.hasAccess);
    // The latest end over the levels held; null with access means one of them has no end.
    const expires = held.some((l) => l.accessExpiresAt === null)
      ? null
      : (held
          .map((l) => l.accessExpiresAt!)
          .sort()
          .pop() ?? null);
    return {
      ...base,
      hasAccess: held.length > 0,
      accessExpiresAt: expires,
      accessLevels: levels,
      actions: { request: !!requestTerms, breakGlass: false },
      breakGlassActivation: null,
    };
  });
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? encode(last) : null };
}
