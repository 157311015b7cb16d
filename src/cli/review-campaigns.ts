import { apiRequest, CliError, type ClientConfig } from './client.js';

// Access review campaigns and their rows as the CLI reads them: campaigns found by id or name, rows page by page.

export interface Campaign {
  id: string;
  name: string;
  status: 'open' | 'closed';
  deadline: string;
  closedAt: string | null;
  autoRevokeUnreviewed: boolean;
  allowSelfReview: boolean;
  rowCount: number;
  progress: { total: number; decided: number };
  outcome: Record<string, number> | null;
}

export interface ReviewRow {
  id: string;
  userId: string;
  groupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
  via: { grantId: string | null; path: string[] };
  reviewerIds: string[];
  needsDecision: boolean;
  accessEndsAt: string | null;
  decision: 'keep' | 'revoke' | 'shorten' | null;
  keepUntil: string | null;
  decidedBy: string | null;
  comment: string | null;
  effect: string | null;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const enc = encodeURIComponent;

/** Every item of a paged listing, up to `max`, 500 a request. */
export async function allPages<T>(
  cfg: ClientConfig,
  path: string,
  query: Record<string, string | undefined> = {},
  max = Infinity,
): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({ limit: String(Math.min(500, max - items.length)) });
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, v);
    if (cursor) qs.set('cursor', cursor);
    const page: Page<T> = await apiRequest(cfg, 'GET', `${path}?${qs}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return { items, more: cursor !== null };
}

/** A campaign by id, else by name (regardless of case); several campaigns of one name are refused. */
export async function resolveCampaign(cfg: ClientConfig, ref: string): Promise<Campaign> {
  if (/^arv_/.test(ref)) return apiRequest<Campaign>(cfg, 'GET', `/access-reviews/${enc(ref)}`);
  const { items } = await allPages<Campaign>(cfg, '/access-reviews');
  const named = items.filter((c) => c.name.toLowerCase() === ref.toLowerCase());
  if (named.length === 1) return named[0]!;
  if (named.length > 1)
    throw new CliError(
      `several campaigns are named '${ref}': give one of their ids ` +
        named.map((c) => `${c.id} (${c.status}, deadline ${c.deadline})`).join(', '),
    );
  throw new CliError(`no access review campaign named '${ref}' (see \`latch reviews list\`)`);
}

export const rowsPath = (campaign: Campaign) => `/access-reviews/${enc(campaign.id)}/rows`;
