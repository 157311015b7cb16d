import { apiRequest, CliError, type ClientConfig } from './client.js';
import type { ReviewRow } from './review-campaigns.js';

// Campaign rows in words for people: user e-mails and item names instead of ids, and how the access is held.

type Kind = 'users' | 'groups' | 'resources';
const LOOKUPS_AT_ONCE = 8;

/** Names of ids, each asked for once; an id the API will not show (deleted, not visible) stays an id. */
export async function namesOf(cfg: ClientConfig, kind: Kind, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const queue = [...new Set(ids)];
  const worker = async () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      try {
        const found = await apiRequest<{ email?: string; name: string }>(
          cfg,
          'GET',
          `/${kind}/${encodeURIComponent(id)}`,
        );
        names.set(id, kind === 'users' ? (found.email ?? found.name) : found.name);
      } catch (err) {
        if (!(err instanceof CliError)) throw err;
        names.set(id, id);
      }
    }
  };
  await Promise.all(Array.from({ length: LOOKUPS_AT_ONCE }, worker));
  return names;
}

function decisionWords(r: ReviewRow): string {
  if (r.decision === 'shorten') return `shorten until ${r.keepUntil}`;
  if (r.decision) return r.decision;
  return r.needsDecision ? '-' : `none needed (ends ${r.accessEndsAt})`;
}

export interface RowInWords {
  id: string;
  user: string;
  item: string;
  via: string;
  decision: string;
  comment: string | null;
  effect: string | null;
}

export async function rowsInWords(cfg: ClientConfig, rows: ReviewRow[]): Promise<RowInWords[]> {
  const [users, groups, resources] = await Promise.all([
    namesOf(
      cfg,
      'users',
      rows.map((r) => r.userId),
    ),
    namesOf(
      cfg,
      'groups',
      rows.flatMap((r) => [...r.via.path, ...(r.groupId ? [r.groupId] : [])]),
    ),
    namesOf(
      cfg,
      'resources',
      rows.flatMap((r) => (r.resourceId ? [r.resourceId] : [])),
    ),
  ]);
  return rows.map((r) => {
    const item = r.groupId
      ? `group ${groups.get(r.groupId)}`
      : `resource ${resources.get(r.resourceId!)}${r.accessLevel ? `:${r.accessLevel}` : ''}`;
    // The path runs from the group the user's grant is on down to the item; a group item ends it.
    const above = r.groupId ? r.via.path.slice(0, -1) : r.via.path;
    const via =
      r.via.grantId !== null ? 'direct grant' : `member of ${above.map((g) => groups.get(g)).join(' > ')}`;
    return {
      id: r.id,
      user: users.get(r.userId)!,
      item,
      via,
      decision: decisionWords(r),
      comment: r.comment,
      effect: r.effect,
    };
  });
}
