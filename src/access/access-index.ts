// The effective-access index: every grant and asset edge in memory, with the reachability closure of the group
// graph, so that a check is a few array reads. It is pure state: the store feeds it facts (in bulk at
// start-up, then each committed change) and every answer takes `now` explicitly.

import {
  edgeChild,
  endToNumber,
  grantColumnsOf,
  grantFactAt,
  grantTarget,
  type GrantColumns,
  numberToEnd,
  type EdgeFact,
  type GrantFact,
  type Target,
} from '../domain/access-facts.js';
import type { Edge } from './closure.js';
import { holdsId, R_END, R_GRANT, R_NODE, R_START, REC, sourceOfGrant } from './user-records.js';
import { listMembers, listUserAccess } from './listings.js';
import { directPath, pathsOfGrant } from './paths.js';
import type { AccessItem, CheckResult, IndexFacts, IndexStats, MemberItem, PathInfo } from './results.js';
import { reachIn } from './reach-table.js';
import { emptyState, type IndexState } from './state.js';

export type { AccessItem, CheckResult, IndexFacts, IndexStats, MemberItem, PathInfo } from './results.js';

// Shared and frozen: the deny path allocates nothing, and no caller can change the answer for the next one.
const NO_PATHS: PathInfo[] = [];
Object.freeze(NO_PATHS);
const DENIED: CheckResult = Object.freeze({ allowed: false, expiresAt: null, via: NO_PATHS });

export class AccessIndex {
  private readonly s: IndexState = emptyState();

  /** Loads everything at once: grants straight into their columns, the closure computed once in topological order. */
  static build(facts: IndexFacts): AccessIndex {
    const index = new AccessIndex();
    const { users, nodes, grants, graph } = index.s;
    const edgeFacts = [...facts.edges];
    try {
      graph.load(edgeFacts.map((e) => index.toEdge(e)));
    } catch {
      // The store holds a loop among its edges (one of them must have ended before the next was accepted):
      // add them one at a time in the order the store accepted them, as the change feed would have.
      const bySince = edgeFacts.sort((a, b) => (a.since ?? -Infinity) - (b.since ?? -Infinity));
      for (const e of bySince) index.upsertEdge(e);
    }
    const cols = isGrantColumns(facts.grants) ? facts.grants : grantColumnsOf(facts.grants);
    const count = cols.ids.length;
    const userOf = new Int32Array(count);
    const nodeOf = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      userOf[i] = users.intern(cols.userIds[i]!);
      const groupId = cols.groupIds[i]!;
      nodeOf[i] =
        groupId !== null ? nodes.internGroup(groupId) : nodes.intern(grantTarget(grantFactAt(cols, i)));
    }
    grants.load(cols, userOf, nodeOf, users.size, nodes.size);
    for (const u of facts.suspendedUserIds) users.setSuspended(u, true);
    return index;
  }

  upsertGrant(g: GrantFact): void {
    const node = this.s.nodes.intern(grantTarget(g));
    const user = this.s.users.intern(g.userId);
    const end = endToNumber(g.endsAt);
    const slot = this.s.grants.slotOf(g.id);
    if (slot !== undefined) {
      if (this.s.grants.user[slot] === user && this.s.grants.node[slot] === node) {
        this.s.grants.update(slot, g.source, g.startsAt, end);
        return;
      }
      this.s.grants.remove(slot);
    }
    this.s.grants.add(g.id, user, node, g.source, g.startsAt, end);
  }

  removeGrant(grantId: string): void {
    const slot = this.s.grants.slotOf(grantId);
    if (slot !== undefined) this.s.grants.remove(slot);
  }

  /**
   * Adds or changes an edge; never throws. The store accepts an edge after checking that no live edge closes a
   * loop with it (src/domain/nesting.ts), so a loop here can only run through edges that had ended when it was
   * accepted: those never count again and are forgotten. An edge that still closes a loop is parked (see
   * IndexState.parked): access through it is denied rather than the index refusing the state it was given.
   */
  upsertEdge(e: EdgeFact): void {
    this.s.parked.delete(e.id);
    if (this.tryEdge(e)) return;
    if (e.since !== undefined && this.forgetEdgesEndedBy(e.since) > 0 && this.tryEdge(e)) return;
    this.s.graph.remove(e.id);
    this.s.parked.set(e.id, e);
    this.retryParked();
  }

  removeEdge(edgeId: string): void {
    this.s.parked.delete(edgeId);
    this.s.graph.remove(edgeId);
    this.retryParked();
  }

  /** Live edges left out because they would close a loop; normally none. */
  parkedEdgeIds(): string[] {
    return [...this.s.parked.keys()];
  }

  setUserSuspended(userId: string, suspended: boolean): void {
    this.s.users.setSuspended(userId, suspended);
  }

  /** Whether the user has access now, and until when: O(number of the user's grants), no allocation. */
  accessEnd(userId: string, target: Target, now: number): number | null | undefined {
    const end = this.latestEnd(userId, target, now);
    return end === -Infinity ? undefined : numberToEnd(end);
  }

  /** Whether the user has access now: like accessEnd, but it stops at the first active path. */
  isAllowed(userId: string, target: Target, now: number): boolean {
    return this.latestEnd(userId, target, now, true) !== -Infinity;
  }

  check(userId: string, target: Target, now: number): CheckResult {
    const row = this.s.users.directory.findTag(userId);
    if (row < 0) return DENIED;
    const answer = this.checkRow(row, target, now);
    if (this.holdsUser(row, userId)) return answer;
    const exact = this.s.users.directory.find(userId);
    return exact < 0 ? DENIED : this.checkRow(exact, target, now);
  }

  private checkRow(row: number, target: Target, now: number): CheckResult {
    const { directory, suspended } = this.s.users;
    if (suspended[directory.numberAt(row)] === 1) return DENIED;
    const { data, side } = this.s.grants.byUser;
    const from = directory.blockFrom(row);
    const to = directory.blockTo(row);
    const t = this.s.nodes.lookup(target);
    if (t === undefined) return DENIED;
    const reachTable = this.s.graph.reach;
    let best = -Infinity;
    let via: PathInfo[] | undefined;
    // One pass, like bestEnd, collecting each reaching grant's paths as it is found (nothing is allocated when
    // no grant reaches the target).
    for (let at = from; at < to; at += REC) {
      const grantEnd = data[at + R_END]!;
      if (data[at + R_START]! > now || now >= grantEnd) continue;
      const n = data[at + R_NODE]! | 0;
      const reach = n === t ? Infinity : reachTable.get(t, n);
      if (reach <= now) continue;
      const end = reach < grantEnd ? reach : grantEnd;
      if (end > best) best = end;
      const source = sourceOfGrant(data[at + R_GRANT]! | 0);
      // Most answers have a single direct path: a one-element literal spares the backing store `[]` grows into.
      if (via === undefined && n === t) via = [directPath(this.s, side[at / REC]!, source, t, grantEnd)];
      else pathsOfGrant(this.s, side[at / REC]!, source, n, t, now, grantEnd, (via ??= []));
    }
    if (via === undefined) return DENIED;
    return { allowed: true, expiresAt: numberToEnd(best), via };
  }

  /** Everything the user can access now: groups reached through nesting and resources at their access levels. */
  userAccess(userId: string, now: number): AccessItem[] {
    const u = this.s.users.lookup(userId);
    if (u === undefined || this.s.users.suspended[u] === 1) return [];
    return listUserAccess(this.s, u, now);
  }

  /** Everyone with access to the item now. */
  members(target: Target, now: number): MemberItem[] {
    const t = this.s.nodes.lookup(target);
    return t === undefined ? [] : listMembers(this.s, t, now);
  }

  stats(): IndexStats {
    return {
      users: this.s.users.size,
      suspendedUsers: this.s.users.suspendedCount,
      nodes: this.s.nodes.size,
      grants: this.s.grants.size,
      edges: this.s.graph.edges.size,
      parkedEdges: this.s.parked.size,
      closureEntries: this.s.graph.closureSize(),
    };
  }

  /**
   * The latest end over the user's active paths to the target, or -Infinity when there is none. A grant on node
   * `n` reaches `t` until min(grant end, reach(n, t)); inactive grants and edges ended by `now` never count.
   * With `anyPath`, the end of the first active path found, which only says that there is one.
   *
   * A check is bound by memory latency, so it takes as few dependent steps as it can. It starts from the first
   * directory row with the user id's hash and reads that row's records, while the group's row and its ancestors
   * load alongside. Only then is the row confirmed to be the user's, from the id at the head of those records:
   * memory already read, where comparing the directory's stored string would read two more places in the heap
   * before the records could start loading. A row that is not confirmed (a hash collision, or a user without
   * records) is looked up exactly, and the answer computed again.
   */
  private latestEnd(userId: string, target: Target, now: number, anyPath = false): number {
    const row = this.s.users.directory.findTag(userId);
    if (row < 0) return -Infinity;
    const end = this.latestEndOf(row, target, now, anyPath);
    if (this.holdsUser(row, userId)) return end;
    const exact = this.s.users.directory.find(userId);
    return exact < 0 ? -Infinity : this.latestEndOf(exact, target, now, anyPath);
  }

  /** latestEnd for the user of directory row `row`; a suspended user's flag is read only if there is access to deny. */
  private latestEndOf(row: number, target: Target, now: number, anyPath: boolean): number {
    const { directory, suspended } = this.s.users;
    const reach = this.s.graph.reach;
    let t: number;
    let reachFrom: number;
    let reachTo: number;
    if ('groupId' in target) {
      const groups = this.s.nodes.groups;
      const g = groups.find(target.groupId);
      if (g < 0) return -Infinity;
      t = groups.numberAt(g);
      reachFrom = groups.blockFrom(g);
      reachTo = groups.blockTo(g);
    } else {
      const n = this.s.nodes.lookup(target);
      if (n === undefined) return -Infinity;
      t = n;
      reachFrom = reach.from(n);
      reachTo = reach.to(n);
    }
    const to = directory.blockTo(row);
    const data = this.s.grants.byUser.data;
    const reachKeys = reach.keys;
    const reachData = reach.data;
    let best = -Infinity;
    for (let at = directory.blockFrom(row); at < to; at += REC) {
      const grantEnd = data[at + R_END]!;
      if (data[at + R_START]! > now || now >= grantEnd) continue;
      const n = data[at + R_NODE]!;
      const r = n === t ? Infinity : reachIn(reachKeys, reachData, reachFrom, reachTo, n);
      if (r <= now) continue;
      const end = r < grantEnd ? r : grantEnd;
      if (anyPath) {
        best = end;
        break;
      }
      if (end > best) best = end;
    }
    return best !== -Infinity && suspended[directory.numberAt(row)] === 1 ? -Infinity : best;
  }

  /** Whether directory row `row` is `userId`'s, by the id at the head of its records; false if it has none. */
  private holdsUser(row: number, userId: string): boolean {
    const directory = this.s.users.directory;
    const from = directory.blockFrom(row);
    return from !== directory.blockTo(row) && holdsId(this.s.grants.byUser.words, from, userId);
  }

  private tryEdge(e: EdgeFact): boolean {
    const edge = this.toEdge(e);
    return this.s.graph.upsert(edge.id, edge.parent, edge.child, edge.end);
  }

  /** Drops every edge that ended at or before `t`; returns how many. */
  private forgetEdgesEndedBy(t: number): number {
    const ended = [...this.s.graph.edges.values()].filter((e) => e.end <= t);
    for (const e of ended) this.s.graph.remove(e.id);
    return ended.length;
  }

  private retryParked(): void {
    if (this.s.parked.size === 0) return;
    for (const [id, e] of [...this.s.parked]) if (this.tryEdge(e)) this.s.parked.delete(id);
  }

  private toEdge(e: EdgeFact): Edge {
    const parent = this.s.nodes.intern({ groupId: e.parentGroupId });
    const child = this.s.nodes.intern(edgeChild(e));
    return { id: e.id, parent, child, end: endToNumber(e.endsAt) };
  }
}

function isGrantColumns(g: IndexFacts['grants']): g is GrantColumns {
  return !(Symbol.iterator in g);
}
