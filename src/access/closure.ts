// The asset edges and their reachability closure.
//
// Edges have an end but no start, so whether ancestor A reaches node D at time `now` is one number:
// reach(A, D) = max over paths of (min edge end on the path), the widest-path value. A reaches D at `now`
// iff reach(A, D) > now, and the latest end of A's paths to D is reach(A, D) itself. The closure keeps that
// value for every connected pair over all edges, expired ones included, so it also answers cycle questions
// and its shape (who is an ancestor of whom) only changes when edges are added or removed.
//
// Invariant: the graph over all edges it holds is acyclic. A mutation that would break it is refused: `upsert`
// answers false and changes nothing, `load` throws. The access index decides what to do with such an edge.

import type { BoundsMirror } from './id-directory.js';
import { OutTable, ReachTable } from './reach-table.js';

export interface Edge {
  readonly id: string;
  readonly parent: number;
  readonly child: number;
  /** +Infinity for "no end". */
  end: number;
}

type Reach = Map<number, number>;

export class NestingGraph {
  readonly edges = new Map<string, Edge>();
  /** Out- and in-edges per node; two edges between the same nodes are kept apart, each is its own path. */
  readonly out: Edge[][] = [];
  readonly in: Edge[][] = [];
  /** anc[d]: every node with a path to d, mapped to reach(node, d). Undefined when d has no ancestor. */
  readonly anc: (Reach | undefined)[] = [];
  /** desc[a]: the mirror of anc, every node a has a path to, mapped to the same reach. */
  readonly desc: (Reach | undefined)[] = [];
  /** anc and out again, laid out for the check path and kept in step with every change. */
  readonly reach: ReachTable;
  readonly outPairs = new OutTable();

  /** `groups` is told where each node's ancestors are, for the check path. */
  constructor(groups?: BoundsMirror) {
    this.reach = new ReachTable(groups);
  }

  /** True when `parent -> child` would let a node reach itself; time is ignored, every edge counts. */
  wouldCreateCycle(parent: number, child: number): boolean {
    return parent === child || (this.anc[parent]?.has(child) ?? false);
  }

  closureSize(): number {
    let n = 0;
    for (const m of this.anc) n += m?.size ?? 0;
    return n;
  }

  /** Adds or changes an edge; false (and nothing changed) when it would let a node reach itself. */
  upsert(id: string, parent: number, child: number, end: number): boolean {
    const existing = this.edges.get(id);
    if (existing && existing.parent === parent && existing.child === child) {
      if (existing.end === end) return true;
      const before = this.pairReach(parent, child);
      this.outPairs.remove(parent, child, existing.end);
      this.outPairs.add(parent, child, end);
      existing.end = end;
      this.pairChanged(parent, child, before);
      return true;
    }
    // A moved edge is judged without its old position, which might be the very path that closes the cycle.
    if (existing) this.remove(id);
    if (this.wouldCreateCycle(parent, child)) {
      if (existing) this.upsert(id, existing.parent, existing.child, existing.end);
      return false;
    }
    const before = this.pairReach(parent, child);
    this.link({ id, parent, child, end });
    this.pairChanged(parent, child, before);
    return true;
  }

  remove(id: string): void {
    const e = this.edges.get(id);
    if (!e) return;
    const before = this.pairReach(e.parent, e.child);
    this.unlink(e);
    this.pairChanged(e.parent, e.child, before);
  }

  /**
   * Loads many edges, then computes the closure once in topological order. The graph must be empty. Throws
   * (leaving it empty) when the edges form a cycle; the caller then adds them one at a time instead.
   */
  load(edges: Iterable<Edge>): void {
    for (const e of edges) {
      const old = this.edges.get(e.id);
      if (old) this.unlink(old);
      this.link(e);
    }
    let order: number[];
    try {
      order = this.topologicalOrder();
    } catch (err) {
      for (const e of [...this.edges.values()]) this.unlink(e);
      throw err;
    }
    for (const d of order) this.computeAncestors(d);
    this.reach.load(this.anc);
  }

  /** Widest value over the parallel edges `parent -> child`; -Infinity when there is none. */
  private pairReach(parent: number, child: number): number {
    let best = -Infinity;
    for (const e of this.out[parent] ?? []) if (e.child === child && e.end > best) best = e.end;
    return best;
  }

  private pairChanged(parent: number, child: number, before: number): void {
    const after = this.pairReach(parent, child);
    if (after > before) this.raise(parent, child, after);
    else if (after < before) this.lower(parent, child);
  }

  private link(e: Edge): void {
    this.edges.set(e.id, e);
    (this.out[e.parent] ??= []).push(e);
    (this.in[e.child] ??= []).push(e);
    this.outPairs.add(e.parent, e.child, e.end);
  }

  private unlink(e: Edge): void {
    this.edges.delete(e.id);
    dropEdge(this.out[e.parent], e);
    dropEdge(this.in[e.child], e);
    this.outPairs.remove(e.parent, e.child, e.end);
  }

  /**
   * The pair `p -> c` now reaches until `w`, later than before. Every new or wider path uses that pair once, so
   * only (p and its ancestors) x (c and its descendants) can improve, each to min(reach(a,p), w, reach(c,d)).
   */
  private raise(p: number, c: number, w: number): void {
    const descC = this.desc[c];
    const reachFrom = (a: number, x: number) => {
      this.relax(a, c, x);
      if (descC) for (const [d, rd] of descC) this.relax(a, d, rd < x ? rd : x);
    };
    reachFrom(p, w);
    const ancP = this.anc[p];
    if (ancP) for (const [a, ra] of ancP) reachFrom(a, ra < w ? ra : w);
  }

  private relax(a: number, d: number, value: number): void {
    const down = (this.desc[a] ??= new Map());
    const current = down.get(d);
    if (current !== undefined && current >= value) return;
    down.set(d, value);
    (this.anc[d] ??= new Map()).set(a, value);
    this.reach.set(d, a, value);
  }

  /**
   * The pair `p -> c` now reaches less far, or not at all. Only pairs (a, d) with a in p and its ancestors and d
   * in c and its descendants can lose a path, so only those are recomputed, in place: d in topological order,
   * each value as the widest of d's in-edges `q -> d` combined with the (already correct) reach(a, q). Pairs
   * outside that set keep their values because none of their paths pass through the changed pair.
   */
  private lower(p: number, c: number): void {
    const above = [p, ...(this.anc[p]?.keys() ?? [])];
    const below = [c, ...(this.desc[c]?.keys() ?? [])];
    // An ancestor has strictly fewer ancestors than its descendant, so this is a topological order of the old
    // graph, and so of the new one, whose edges are a subset.
    below.sort((x, y) => (this.anc[x]?.size ?? 0) - (this.anc[y]?.size ?? 0));
    for (const d of below) {
      const ancD = this.anc[d];
      if (!ancD) continue;
      const inEdges = this.in[d] ?? [];
      for (const a of above) {
        if (!ancD.has(a)) continue;
        let best = -Infinity;
        for (const e of inEdges) {
          const r = e.parent === a ? Infinity : this.anc[e.parent]?.get(a);
          if (r === undefined) continue;
          const w = r < e.end ? r : e.end;
          if (w > best) best = w;
        }
        if (best === -Infinity) {
          ancD.delete(a);
          this.desc[a]?.delete(d);
          this.reach.delete(d, a);
        } else if (best !== ancD.get(a)) {
          ancD.set(a, best);
          this.desc[a]!.set(d, best);
          this.reach.set(d, a, best);
        }
      }
    }
  }

  /** Build only: d's ancestors from its in-edges and its parents' ancestor maps, which are complete already. */
  private computeAncestors(d: number): void {
    const fresh: Reach = new Map();
    for (const e of this.in[d] ?? []) {
      const w = e.end;
      maxInto(fresh, e.parent, w);
      const up = this.anc[e.parent];
      if (up) for (const [a, r] of up) maxInto(fresh, a, r < w ? r : w);
    }
    if (fresh.size === 0) return;
    this.anc[d] = fresh;
    for (const [a, r] of fresh) (this.desc[a] ??= new Map()).set(d, r);
  }

  /** Kahn's algorithm over every node with an edge; throws when some nodes are left, which means a cycle. */
  private topologicalOrder(): number[] {
    const indegree = new Map<number, number>();
    for (const e of this.edges.values()) {
      indegree.set(e.child, (indegree.get(e.child) ?? 0) + 1);
      if (!indegree.has(e.parent)) indegree.set(e.parent, 0);
    }
    const order: number[] = [];
    for (const [n, deg] of indegree) if (deg === 0) order.push(n);
    for (let i = 0; i < order.length; i++) {
      for (const e of this.out[order[i]!] ?? []) {
        const left = indegree.get(e.child)! - 1;
        indegree.set(e.child, left);
        if (left === 0) order.push(e.child);
      }
    }
    if (order.length < indegree.size) throw new Error('asset edges form a cycle: some group reaches itself');
    return order;
  }
}

function maxInto(m: Reach, key: number, value: number): void {
  const current = m.get(key);
  if (current === undefined || value > current) m.set(key, value);
}

function dropEdge(list: Edge[] | undefined, e: Edge): void {
  if (!list) return;
  const i = list.indexOf(e);
  if (i < 0) return;
  list[i] = list[list.length - 1]!;
  list.pop();
}
