import type { Comparison, SameChecks } from './cte-compare.js';
import { REVIEW_TARGETS, type ReviewsBenchResult } from './reviews-bench.js';

// Table rows for the CTE comparison (one block per question, each naming what both sides compute) and for the
// access review campaigns.

const f = (n: number, digits = 2) => n.toFixed(digits);

function block(label: string, cteLabel: string, all: Comparison[]): [string, ...string[]][] {
  return [
    [
      `${label}: CTE p50 / p99 (µs), ${cteLabel}`,
      ...all.map((c) => `${f(c.cteP50Us, 0)} / ${f(c.cteP99Us, 0)}`),
    ],
    [
      `${label}: index p50 / p99 (µs), less the clock (raw p50)`,
      ...all.map((c) => `${f(c.indexP50Us)} / ${f(c.indexP99Us)} (${f(c.rawIndexP50Us)})`),
    ],
    [
      `${label}: CTE / index (p50 ratio; raw)`,
      ...all.map((c) => `${f(c.ratioP50, 0)}x; ${f(c.rawRatioP50, 0)}x (answers agree: ${c.agree})`),
    ],
  ];
}

export function sameCheckRows(all: SameChecks[]): [string, ...string[]][] {
  return [
    [
      'same pairs for CTE and index (allowed share)',
      ...all.map((s) => `${s.count} (${f(s.allowRate * 100, 1)}%)`),
    ],
    ['clock cost taken off each index time (µs)', ...all.map((s) => f(s.clockUs, 3))],
    ...block(
      'allowed',
      'exists',
      all.map((s) => s.allowed),
    ),
    ...block(
      'allowed + expiresAt',
      'max of path ends',
      all.map((s) => s.allowedAndExpiry),
    ),
    ...block(
      'full check, index builds via paths',
      'allowed + expiresAt only',
      all.map((s) => s.fullAnswer),
    ),
  ];
}

/** Prints rows as aligned columns, the first row being the header. */
export function printTable(rows: [string, ...string[]][]) {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}

const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function reviewsRows(r: ReviewsBenchResult): [string, ...string[]][] {
  const t = REVIEW_TARGETS;
  const m = r.create.memory;
  return [
    [`access reviews: dataset ${r.dataset} on PostgreSQL 15, operations in-process`, 'figure (target)'],
    [
      `campaign over everything (${r.memberships} memberships): rows / needing a decision / reviewers`,
      `${r.rows} / ${r.needingDecision} / ${r.reviewers}`,
    ],
    [
      'creating it (s)',
      `${f(r.create.ms / 1000, 1)} (≤ ${t.createSeconds}: ${met(r.create.ms <= t.createSeconds * 1000)})`,
    ],
    [
      `meanwhile, peak RSS / heap + buffers over the baseline of ${f(m.baselineRssMb, 0)} MB RSS (MB)`,
      `${f(m.rssMb, 0)} / ${f(m.heapMb, 0)} (≤ ${t.createMb}: ${met(Math.max(m.rssMb, m.heapMb) <= t.createMb)})`,
    ],
    [
      `page of ${r.page.size} rows for the reviewer with most (${r.page.reviewerRows}), ${r.page.pages} pages: p50 / p99 (ms)`,
      `${f(r.page.p50Ms, 1)} / ${f(r.page.p99Ms, 1)} (p99 ≤ ${t.pageMs}: ${met(r.page.p99Ms <= t.pageMs)})`,
    ],
    [
      `an admin's first page of one person's rows, ${r.person.people} people (${f(r.person.meanRows, 1)} rows each on average): p50 / max (ms)`,
      `${f(r.person.p50Ms, 1)} / ${f(r.person.maxMs, 1)}`,
    ],
    [
      `${r.close.revocations} revocations decided in ${r.close.decideRequests} requests (s)`,
      f(r.close.decideMs / 1000, 1),
    ],
    [
      `then closing: ${r.close.revoked} rows revoked (s)`,
      `${f(r.close.ms / 1000, 1)} (≤ ${t.closeSeconds}: ${met(r.close.ms <= t.closeSeconds * 1000)})`,
    ],
  ];
}
