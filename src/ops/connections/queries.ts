import type { Connection, Propagation, RemoteLink } from '../../domain/connections/connection.js';
import { NOT_LINKED } from '../../domain/connections/connection.js';
import type { ProvisioningStatus } from '../../domain/connections/provisioning-plan.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findConnectionRow, listConnectionRows, toConnection } from '../../store/connections.js';
import { accountsOfPairs } from '../../store/provisioned-accounts.js';
import { openDrift } from '../../store/provisioning-drift.js';
import { linksOfConnection, linksOfItems } from '../../store/remote-links.js';
import { can } from '../../domain/policy/policy.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { connectionView } from './connection-view.js';
import { withConnector } from './open-connector.js';

// Reads of connected systems, each with its visibility rule: connections for admins and auditors; an item's
// link and its members' propagation for whoever may see the item (the caller has checked that).

const VIEWERS = 'only admins and auditors can see connected systems';

export async function listConnections(deps: OpsDeps, actor: Actor): Promise<Connection[]> {
  authorize(actor, 'connection', 'view', {}, VIEWERS);
  return (await listConnectionRows(deps.db)).map((r) => connectionView(actor, toConnection(r)));
}

export async function getConnection(deps: OpsDeps, actor: Actor, id: string): Promise<Connection> {
  authorize(actor, 'connection', 'view', {}, VIEWERS);
  const row = await findConnectionRow(deps.db, id);
  if (!row) throw notFound('connection', id);
  return connectionView(actor, toConnection(row));
}

export interface RemoteItemView {
  remoteId: string;
  name: string;
  kind: string;
  linkedItemId: string | null;
}

/** The target's linkable items, read now, each with the Latch item linked to it if any (admins). */
export async function remoteItems(deps: OpsDeps, actor: Actor, id: string): Promise<RemoteItemView[]> {
  authorize(actor, 'connection', 'manage', {}, 'only admins can browse a connected system');
  const row = await findConnectionRow(deps.db, id);
  if (!row) throw notFound('connection', id);
  const [items, links] = await Promise.all([
    withConnector(deps, row, (c) => c.remoteItems()),
    linksOfConnection(deps.db, id),
  ]);
  const linked = new Map(links.map((l) => [l.remote_id, l.item_id]));
  return items.map((i) => ({ ...i, linkedItemId: linked.get(i.remoteId) ?? null }));
}

export interface DriftView {
  remoteId: string;
  remoteAccount: string;
  userId: string | null;
  detectedAt: string;
}

/** Open drift: members of linked remote items that Latch does not explain (admins and auditors). */
export async function driftOf(deps: OpsDeps, actor: Actor, id: string): Promise<DriftView[]> {
  authorize(actor, 'connection', 'view', {}, VIEWERS);
  if (!(await findConnectionRow(deps.db, id))) throw notFound('connection', id);
  return (await openDrift(deps.db, id)).map((d) => ({ ...d, detectedAt: d.detectedAt.toISOString() }));
}

export interface PropagationQuestion {
  itemId: string;
  userId: string;
  /** Resources: the level asked about; only the linked level is propagated. */
  accessLevel?: string | undefined;
  /** Whether the user has the access in Latch now (members always have). */
  allowed: boolean;
}

const NOT_YET: Propagation = { status: 'pending', at: null, detail: null };
const HIDDEN_FAILURE = 'the connected system refused or could not be reached';

/**
 * Where each user's access stands in the item's connected system, in two reads whatever the number asked:
 * `not_linked` for an item without a link; for a member, `pending` until planned, then the row's status; for
 * someone without access, `pending` while Latch is still taking the account out, else `synced`. A target's
 * words about a failure are for admins only. The caller has checked that the actor may see these answers.
 */
export async function propagationFor(
  deps: Pick<OpsDeps, 'db'>,
  actor: Actor,
  questions: readonly PropagationQuestion[],
): Promise<Propagation[]> {
  if (questions.length === 0) return [];
  const links = await linksOfItems(deps.db, [...new Set(questions.map((q) => q.itemId))]);
  const linked = (q: PropagationQuestion) => {
    const link = links.get(q.itemId);
    return link !== undefined && (link.accessLevel === undefined || link.accessLevel === q.accessLevel);
  };
  const asked = questions.filter(linked);
  const rows = await accountsOfPairs(
    deps.db,
    asked.map((q) => [q.itemId, q.userId] as const),
  );
  const byPair = new Map(rows.map((r) => [`${r.item_id}\u0000${r.user_id}`, r]));
  const showErrors = can(actor, 'connection', 'readTargetErrors', {});
  return questions.map((q) => {
    if (!linked(q)) return NOT_LINKED;
    const r = byPair.get(`${q.itemId}\u0000${q.userId}`);
    if (q.allowed) {
      if (!r || !r.wanted) return NOT_YET;
    } else if (!r || !r.wanted) {
      if (!r || r.applied_account === null)
        return { status: 'synced', at: r?.status_at.toISOString() ?? null, detail: null };
    }
    const status = (r.wanted === q.allowed ? r.status : 'pending') as ProvisioningStatus;
    const detail = status === 'failed' && !showErrors ? HIDDEN_FAILURE : r.detail;
    return { status, at: r.status_at.toISOString(), detail };
  });
}

export type { RemoteLink };
