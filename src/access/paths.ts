// Enumerates the explicit paths behind an allowed answer. The walk is pruned by the closure: it only steps into
// a child that still reaches the target at `now`, so every branch it takes ends in at least one path and the
// cost follows the size of the answer, not of the graph.

import { GRANT_SOURCES, numberToEnd } from '../domain/access-facts.js';
import { R_END, R_GRANT, R_NODE, R_START, REC, sourceOfGrant } from './user-records.js';
import type { PathInfo } from './results.js';
import type { IndexState } from './state.js';

/**
 * At most this many paths are listed per answer. Paths can multiply with every diamond in the graph, and an
 * explanation needs a few of them, not all; `allowed` and `expiresAt` never depend on this cap.
 */
export const MAX_PATHS = 100;

type Grant = Pick<PathInfo, 'grantId' | 'source'>;

/**
 * Appends to `out` the active paths to node `t` from the packed grant records in `records[from, to)`, whose grant
 * ids are `ids[at / REC]` (with `at` counted from 0 in `records`).
 */
export function collectPaths(
  s: IndexState,
  records: ArrayLike<number>,
  ids: ArrayLike<string | undefined>,
  from: number,
  to: number,
  t: number,
  now: number,
  out: PathInfo[],
): void {
  for (let at = from; at < to; at += REC) {
    const grantEnd = records[at + R_END]!;
    if (records[at + R_START]! > now || now >= grantEnd) continue;
    const n = records[at + R_NODE]! | 0;
    if (n !== t && s.graph.reach.get(t, n) <= now) continue;
    const source = sourceOfGrant(records[at + R_GRANT]! | 0);
    pathsOfGrant(s, ids[at / REC]!, source, n, t, now, grantEnd, out);
  }
}

/**
 * Appends the active paths from one active grant (on node `n`) to node `t`. The caller has checked that `n` is
 * `t` or reaches it at `now`.
 */
export function pathsOfGrant(
  s: IndexState,
  grantId: string,
  source: number,
  n: number,
  t: number,
  now: number,
  grantEnd: number,
  out: PathInfo[],
): void {
  if (out.length >= MAX_PATHS) return;
  if (n === t) out.push(directPath(s, grantId, source, t, grantEnd));
  else walk(s, { grantId, source: GRANT_SOURCES[source]! }, [n], t, now, grantEnd, out);
}

/** The path of a grant on the target itself: just the target group, or no group for a resource. */
export function directPath(s: IndexState, grantId: string, source: number, t: number, end: number): PathInfo {
  const g = s.nodes.groupIdOf[t];
  const groupIds = g === null || g === undefined ? [] : [g];
  return { grantId, source: GRANT_SOURCES[source]!, groupIds, endsAt: numberToEnd(end) };
}

function walk(
  s: IndexState,
  grant: Grant,
  stack: number[],
  t: number,
  now: number,
  end: number,
  out: PathInfo[],
): void {
  const { data, bounds } = s.graph.outPairs;
  const x = stack[stack.length - 1]!;
  if (2 * x >= bounds.length) return;
  const to = bounds[2 * x + 1]!;
  for (let i = bounds[2 * x]!; i < to; i += 2) {
    if (out.length >= MAX_PATHS) return;
    const edgeEnd = data[i + 1]!;
    if (edgeEnd <= now) continue;
    const child = data[i]! | 0;
    const pathEnd = edgeEnd < end ? edgeEnd : end;
    // The graph is acyclic, so the target is never also an intermediate node and every path is simple.
    if (child === t) {
      stack.push(t);
      out.push(pathOf(grant, groupIdsOf(s, stack), pathEnd));
      stack.pop();
    } else if (s.graph.reach.get(t, child) > now) {
      stack.push(child);
      walk(s, grant, stack, t, now, pathEnd, out);
      stack.pop();
    }
  }
}

function pathOf(grant: Grant, groupIds: string[], end: number): PathInfo {
  return { grantId: grant.grantId, source: grant.source, groupIds, endsAt: numberToEnd(end) };
}

/** The group ids along a walk's node stack; only the target can be a resource leaf, and it is left out. */
function groupIdsOf(s: IndexState, stack: readonly number[]): string[] {
  const { groupIdOf } = s.nodes;
  const length = groupIdOf[stack[stack.length - 1]!] === null ? stack.length - 1 : stack.length;
  const groupIds = new Array<string>(length);
  for (let i = 0; i < length; i++) groupIds[i] = groupIdOf[stack[i]!]!;
  return groupIds;
}
