// Benchmarks the in-memory access index on a generated dataset: build time and memory, query latency per call, and
// the cost of applying one change. Run: `npx tsx bench/index-bench.ts B` (prints JSON).

import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AccessIndex } from '../src/access/access-index.js';
import {
  generateDataset,
  mulberry32,
  pick,
  pickQueries,
  type Dataset,
  type DatasetName,
  type QueryPair,
} from './dataset.js';

const NOW = Date.UTC(2025, 5, 1, 12);
const CHECKS = 200_000;
const LISTINGS = 2_000;
const GRANT_CHANGES = 10_000;
const EDGE_CHANGES = 1_000;

export interface Latency {
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

export interface CheckLatency extends Latency {
  allowRate: number;
  /** The mean per call over a loop timed as a whole: no timer per call, and calls overlap in the CPU. */
  loopMeanUs: number;
}

export interface IndexBenchResult {
  dataset: DatasetName;
  counts: ReturnType<AccessIndex['stats']>;
  generateMs: number;
  buildMs: number;
  /**
   * Memory in use after the build with the generated facts still referenced, and the share the build added: the
   * V8 heap plus typed arrays, whose contents V8 keeps outside its heap and where most of the index lives.
   */
  memoryMb: number;
  indexMemoryMb: number;
  /** What an empty timed call costs: per-call numbers below include it. */
  timerOverheadUs: number;
  check: { allow2: CheckLatency; allow50: CheckLatency };
  isAllowed: { allow2: CheckLatency; allow50: CheckLatency };
  userAccess: Latency;
  members: Latency;
  grantUpsert: Latency;
  grantRemove: Latency;
  edgeAdd: Latency;
  edgeRemove: Latency;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
/** A full collection before reading the heap; without `--expose-gc`, the flag is turned on at run time. */
const collectGarbage: () => void =
  globalThis.gc ??
  (() => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();
const memoryMb = () => {
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 1024 / 1024;
};

/** Times each call separately; hrtime costs some tens of nanoseconds, reported as `timerOverheadUs`. */
function timeEach<T>(items: readonly T[], fn: (item: T) => unknown): Float64Array {
  const out = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const t0 = process.hrtime.bigint();
    fn(item);
    out[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out;
}

function latency(samples: Float64Array): Latency {
  const sorted = samples.slice().sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50Us: round(at(0.5), 3), p99Us: round(at(0.99), 3), maxUs: round(sorted[sorted.length - 1]!, 1) };
}

function benchChecks(queries: QueryPair[], fn: (q: QueryPair) => boolean): CheckLatency {
  let allowed = 0;
  for (const q of queries) if (fn(q)) allowed++; // warm-up, and the allow rate of this mix
  const t0 = process.hrtime.bigint();
  for (const q of queries) fn(q);
  const loopMeanUs = Number(process.hrtime.bigint() - t0) / 1000 / queries.length;
  collectGarbage();
  return {
    allowRate: round(allowed / queries.length, 4),
    loopMeanUs: round(loopMeanUs, 3),
    ...latency(timeEach(queries, fn)),
  };
}

function benchGrantChanges(index: AccessIndex, ds: Dataset) {
  const rand = mulberry32(7);
  const ids = Array.from({ length: GRANT_CHANGES }, (_, i) => `grt_bench_${i}`);
  const upserts = timeEach(ids, (id) =>
    index.upsertGrant({
      id,
      userId: pick(rand, ds.users),
      groupId: pick(rand, ds.groups),
      resourceId: null,
      accessLevel: null,
      source: 'direct',
      startsAt: NOW - 1000,
      endsAt: NOW + 3_600_000,
    }),
  );
  const removals = timeEach(ids, (id) => index.removeGrant(id));
  return { grantUpsert: latency(upserts), grantRemove: latency(removals) };
}

/** Adds an edge from a random group to a random group on a lower level (never a cycle), then removes it. */
function benchEdgeChanges(index: AccessIndex, ds: Dataset) {
  const rand = mulberry32(11);
  const adds = new Float64Array(EDGE_CHANGES);
  const removals = new Float64Array(EDGE_CHANGES);
  for (let i = 0; i < EDGE_CHANGES; i++) {
    const upper = Math.floor(rand() * (ds.levels.length - 1));
    const lower = upper + 1 + Math.floor(rand() * (ds.levels.length - 1 - upper));
    const edge = {
      id: `ast_bench_${i}`,
      parentGroupId: pick(rand, ds.levels[upper]!),
      childGroupId: pick(rand, ds.levels[lower]!),
      resourceId: null,
      accessLevel: null,
      endsAt: rand() < 0.5 ? null : NOW + 3_600_000,
    };
    let t0 = process.hrtime.bigint();
    index.upsertEdge(edge);
    adds[i] = Number(process.hrtime.bigint() - t0) / 1000;
    t0 = process.hrtime.bigint();
    index.removeEdge(edge.id);
    removals[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return { edgeAdd: latency(adds), edgeRemove: latency(removals) };
}

export async function benchIndex(name: DatasetName): Promise<IndexBenchResult> {
  let t = performance.now();
  const ds = generateDataset(name, NOW);
  const generateMs = round(performance.now() - t, 0);
  const before = memoryMb();
  t = performance.now();
  const index = AccessIndex.build({ grants: ds.grants, edges: ds.edges, suspendedUserIds: [] });
  const buildMs = round(performance.now() - t, 0);
  const after = memoryMb();

  const mix2 = pickQueries(ds, CHECKS, 0.02, 1);
  const mix50 = pickQueries(ds, CHECKS, 0.5, 2);
  const check = (q: QueryPair) => index.check(q.userId, { groupId: q.groupId }, NOW).allowed;
  const isAllowed = (q: QueryPair) => index.isAllowed(q.userId, { groupId: q.groupId }, NOW);
  const rand = mulberry32(3);
  const users = Array.from({ length: LISTINGS }, () => pick(rand, ds.users));
  const groups = Array.from({ length: LISTINGS }, () => pick(rand, ds.groups));
  const timerOverheadUs = latency(timeEach(mix2, () => 0)).p50Us;

  const result: IndexBenchResult = {
    dataset: name,
    counts: index.stats(),
    generateMs,
    buildMs,
    memoryMb: round(after, 0),
    indexMemoryMb: round(after - before, 0),
    timerOverheadUs,
    check: { allow2: benchChecks(mix2, check), allow50: benchChecks(mix50, check) },
    isAllowed: { allow2: benchChecks(mix2, isAllowed), allow50: benchChecks(mix50, isAllowed) },
    userAccess: latency(timeEach(users, (u) => index.userAccess(u, NOW))),
    members: latency(timeEach(groups, (g) => index.members({ groupId: g }, NOW))),
    ...benchGrantChanges(index, ds),
    ...benchEdgeChanges(index, ds),
  };
  return result;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const name = process.argv[2] === 'A' ? 'A' : 'B';
  console.log(JSON.stringify(await benchIndex(name), null, 2));
}
