import { benchActivation, type ActivationBenchResult } from './activation-bench.js';
import { benchExpiry, type ExpiryBenchResult } from './expiry-bench.js';
import { benchGrowth, type GrowthResult } from './growth-bench.js';
import { benchIndex, type IndexBenchResult } from './index-bench.js';
import { benchPostgres, type PgBenchResult } from './pg-bench.js';
import { printTable, reviewsRows, sameCheckRows } from './report.js';
import { benchReviews, type ReviewsBenchResult } from './reviews-bench.js';
import { benchScim, SCIM_TARGET_SECONDS, type ScimBenchResult } from './scim-bench.js';
import { benchProvisioning, type ProvisioningBenchResult } from './provisioning-bench.js';

// `npm run bench [-- A|B|expiry|activation|growth|scim|provisioning|reviews ...] [--json]`: every figure for each dataset, then the
// time engine's expiry lag and break-glass activation latency on both stores, the embedded store's memory and
// disk at dataset A with PGlite's settings and with Latch's, and an identity provider's SCIM push on both
// stores, measured in one run on this machine. Naming datasets or parts (`B scim`, say) runs only those.

const args = process.argv.slice(2);
const json = args.includes('--json');
const datasets = args.filter((a) => a === 'A' || a === 'B') as ('A' | 'B')[];
const everything = args.filter((a) => a !== '--json').length === 0;
const part = (name: string) => everything || args.includes(name);
if (everything) datasets.push('A', 'B');

/** A server on PostgreSQL holding dataset B answers /readyz within this, from spawning it. */
const B_READY_TARGET_MS = 5000;

const results: { dataset: string; index: IndexBenchResult; postgres: PgBenchResult }[] = [];
let port = 26000 + Math.floor(Math.random() * 2000) * 2;
for (const name of datasets) {
  if (!json) console.error(`dataset ${name}: in-process index ...`);
  const index = await benchIndex(name);
  if (!json) console.error(`dataset ${name}: PostgreSQL, recursive CTE and HTTP ...`);
  const postgres = await benchPostgres(name, port, { cteChecks: 2000, httpSeconds: 10 });
  port += 2;
  results.push({ dataset: name, index, postgres });
}

let expiry: ExpiryBenchResult[] = [];
if (part('expiry')) {
  if (!json) console.error('time engine: 1,000 expiries over 5 s, embedded and PostgreSQL ...');
  expiry = [await benchExpiry('embedded'), await benchExpiry('postgres', { port })];
}
let activation: ActivationBenchResult[] = [];
if (part('activation')) {
  if (!json) console.error('break-glass: 1,000 activations, embedded and PostgreSQL (two processes) ...');
  activation = [await benchActivation('embedded', port + 20), await benchActivation('postgres', port + 40)];
}

let growth: GrowthResult[] = [];
if (part('growth')) {
  if (!json)
    console.error('embedded store at dataset A: PGlite defaults, then Latch settings (two processes) ...');
  growth = await benchGrowth();
}

let scim: ScimBenchResult[] = [];
if (part('scim')) {
  if (!json)
    console.error('SCIM: 10,000 users, 1,000 groups, 100,000 memberships, embedded and PostgreSQL ...');
  scim = [await benchScim('embedded', port + 60), await benchScim('postgres', port + 70)];
}

let provisioning: ProvisioningBenchResult | undefined;
if (part('provisioning')) {
  if (!json)
    console.error(
      'connected systems: PostgreSQL target, Latch on PostgreSQL (activation, expiry, 10,000 members, downtime) ...',
    );
  provisioning = await benchProvisioning(port + 80);
}

let reviews: ReviewsBenchResult | undefined;
if (part('reviews')) {
  if (!json)
    console.error(
      'access reviews at dataset B on PostgreSQL: a campaign over everything, reviewer pages, closing ...',
    );
  reviews = await benchReviews(port + 90);
}

const f = (n: number, digits = 2) => n.toFixed(digits);
if (json)
  console.log(
    JSON.stringify({ datasets: results, expiry, activation, growth, scim, provisioning, reviews }, null, 2),
  );
else if (results.length > 0) {
  const rows: [string, ...string[]][] = [
    ['metric', ...results.map((r) => `dataset ${r.dataset}`)],
    [
      'users / groups / grants / edges',
      ...results.map(
        (r) =>
          `${r.index.counts.users} / ${r.index.counts.nodes} / ${r.index.counts.grants} / ${r.index.counts.edges}`,
      ),
    ],
    ['index build (ms)', ...results.map((r) => f(r.index.buildMs, 0))],
    [
      'heap + typed arrays after build (MB)',
      ...results.map((r) => `${f(r.index.memoryMb, 0)} (index ${f(r.index.indexMemoryMb, 0)})`),
    ],
    [
      'check p50 / p99 (µs), ~2% allow',
      ...results.map(
        (r) =>
          `${f(r.index.check.allow2.p50Us)} / ${f(r.index.check.allow2.p99Us)} (${f(r.index.check.allow2.allowRate * 100, 1)}%)`,
      ),
    ],
    [
      'check p50 / p99 (µs), ~50% allow',
      ...results.map(
        (r) =>
          `${f(r.index.check.allow50.p50Us)} / ${f(r.index.check.allow50.p99Us)} (${f(r.index.check.allow50.allowRate * 100, 1)}%)`,
      ),
    ],
    [
      'isAllowed p50 / p99 (µs), ~50% allow',
      ...results.map((r) => `${f(r.index.isAllowed.allow50.p50Us)} / ${f(r.index.isAllowed.allow50.p99Us)}`),
    ],
    [
      "user's access p50 / p99 (µs)",
      ...results.map((r) => `${f(r.index.userAccess.p50Us)} / ${f(r.index.userAccess.p99Us)}`),
    ],
    [
      "group's members p50 / p99 (µs)",
      ...results.map((r) => `${f(r.index.members.p50Us)} / ${f(r.index.members.p99Us)}`),
    ],
    [
      'membership change p50 / max (µs)',
      ...results.map((r) => `${f(r.index.grantUpsert.p50Us)} / ${f(r.index.grantUpsert.maxUs)}`),
    ],
    [
      'edge add p50 / p99 / max (µs)',
      ...results.map(
        (r) => `${f(r.index.edgeAdd.p50Us)} / ${f(r.index.edgeAdd.p99Us)} / ${f(r.index.edgeAdd.maxUs)}`,
      ),
    ],
    ...sameCheckRows(results.map((r) => r.postgres.sameChecks)),
    [
      'server ready incl. index from PostgreSQL (ms)',
      ...results.map(
        (r) =>
          f(r.postgres.serverReadyMs, 0) +
          (r.dataset === 'B'
            ? ` (≤ ${B_READY_TARGET_MS}: ${r.postgres.serverReadyMs <= B_READY_TARGET_MS ? 'met' : 'MISSED'})`
            : ''),
      ),
    ],
    [
      'then recording expiries / starts missed while down (ms)',
      ...results.map(
        (r) =>
          `${f(r.postgres.catchUpMs, 0)} (${r.postgres.backlog.expiries} / ${r.postgres.backlog.starts} events)`,
      ),
    ],
    ['then delivering the notices queued (ms)', ...results.map((r) => f(r.postgres.noticesMs, 0))],
    ['then until the server is idle (ms)', ...results.map((r) => f(r.postgres.settleMs, 0))],
    [
      'HTTP single check: checks/s, p50 / p99 (ms)',
      ...results.map(
        (r) =>
          `${f(r.postgres.httpSingle.checksPerSecond, 0)}, ${r.postgres.httpSingle.p50Ms} / ${r.postgres.httpSingle.p99Ms} (errors ${r.postgres.httpSingle.errors})`,
      ),
    ],
    [
      'HTTP batch of 100: checks/s, p99 (ms)',
      ...results.map(
        (r) =>
          `${f(r.postgres.httpBatch.checksPerSecond, 0)}, ${r.postgres.httpBatch.p99Ms} (errors ${r.postgres.httpBatch.errors})`,
      ),
    ],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}

if (!json && expiry.length > 0) {
  const rows: [string, ...string[]][] = [
    ['expiry lag (grant.expired committed after expiresAt)', ...expiry.map((r) => r.store)],
    ['grants / spread (s)', ...expiry.map((r) => `${r.grants} / ${f(r.spreadMs / 1000, 0)}`)],
    ['lag p50 / p99 / max (ms)', ...expiry.map((r) => `${r.p50Ms} / ${r.p99Ms} / ${r.maxMs}`)],
    [
      'events dated at expiresAt',
      ...expiry.map((r) => (r.misdated === 0 ? 'all' : `${r.misdated} misdated`)),
    ],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('');
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}

if (!json && activation.length > 0) {
  console.log('');
  console.log(
    'break-glass activation -> access usable   p50 / p99 (ms), same process   p50 / p99 (ms), other process',
  );
  for (const a of activation) {
    const other =
      a.otherProcessP50Ms === undefined
        ? '-'
        : `${f(a.otherProcessP50Ms, 1)} / ${f(a.otherProcessP99Ms!, 1)}`;
    console.log(
      `${a.store.padEnd(40)} ${`${f(a.usableP50Ms, 1)} / ${f(a.usableP99Ms, 1)}`.padEnd(32)} ${other}`,
    );
  }
}

if (!json && growth.length > 0) {
  const rows: [string, ...string[]][] = [
    [
      'embedded store restarted on dataset A, catch-up + 5,000 writes + 100,000 events',
      ...growth.map((g) => `${g.mode} settings`),
    ],
    ['RSS at the end / peak (MB)', ...growth.map((g) => `${f(g.rssMb, 0)} / ${f(g.peakRssMb, 0)}`)],
    ['data directory / of which WAL (MB)', ...growth.map((g) => `${f(g.dataDirMb, 0)} / ${f(g.walMb, 0)}`)],
    [
      'audit events; catch-up / writes (s)',
      ...growth.map((g) => `${g.events}; ${f(g.catchUpMs / 1000, 1)} / ${f(g.writeMs / 1000, 1)}`),
    ],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('');
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}

if (!json && scim.length > 0) {
  const rate = (p: { requests: number; requestsPerSecond: number; seconds: number }) =>
    `${p.requests} in ${f(p.seconds, 1)} s = ${f(p.requestsPerSecond, 0)}/s`;
  const phase = (label: string, key: keyof ScimBenchResult['phases']): [string, ...string[]] => [
    `${label}: requests, req/s, p50 / p99 (ms)`,
    ...scim.map((s) => `${rate(s.phases[key])}, ${f(s.phases[key].p50Ms, 1)} / ${f(s.phases[key].p99Ms, 1)}`),
  ];
  const cores = (n: number | null) => (n === null ? '-' : f(n));
  console.log('');
  printTable([
    [
      `SCIM push, one resource per request, ${scim[0]!.connections} keep-alive connections`,
      ...scim.map((s) => s.store),
    ],
    phase('users (POST)', 'users'),
    phase('groups (POST)', 'groups'),
    phase(`memberships (PATCH of ${scim[0]!.membersPerPatch})`, 'memberships'),
    [
      `total (target ${SCIM_TARGET_SECONDS} s)`,
      ...scim.map((s) => `${rate(s.total)} (${s.total.seconds <= SCIM_TARGET_SECONDS ? 'met' : 'MISSED'})`),
    ],
    [
      'cores server / client; share server waited for a core: users, groups, memberships',
      ...scim.map((s) =>
        Object.values(s.phases)
          .map((p) => `${cores(p.serverCores)} / ${f(p.clientCores)}; ${cores(p.serverWaiting)}`)
          .join(', '),
      ),
    ],
    [
      'access index: pushed pairs allowed, random pairs as pushed',
      ...scim.map(
        (s) =>
          `${s.check.memberPairs} + ${s.check.randomPairs} (${s.check.randomPairsAllowed} members), ` +
          `${s.check.mismatches} mismatches`,
      ),
    ],
  ]);
}

if (!json && provisioning) {
  const p = provisioning;
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log('');
  printTable([
    ['connected systems: PostgreSQL 15 target, Latch on PostgreSQL', 'figure (target)'],
    [
      `break-glass activation until the role is granted, ${p.activation.count} activations: p50 / p99 / max (ms)`,
      `${f(p.activation.p50Ms, 0)} / ${f(p.activation.p99Ms, 0)} / ${f(p.activation.maxMs, 0)} (p99 ≤ 1000: ${met(p.activation.p99Ms <= 1000)})`,
    ],
    [
      `expiry until REVOKE done and the session ended, ${p.expiry.count} grants: p50 / p99 / max (ms)`,
      `${f(p.expiry.p50Ms, 0)} / ${f(p.expiry.p99Ms, 0)} / ${f(p.expiry.maxMs, 0)} (p99 ≤ 1000: ${met(p.expiry.p99Ms <= 1000)})`,
    ],
    [
      `linked item of ${p.reconcile.members} members from scratch (ms)`,
      `${f(p.reconcile.fromScratchMs, 0)} (≤ 10000: ${met(p.reconcile.fromScratchMs <= 10_000)})`,
    ],
    [
      'then an idle reconciliation (ms)',
      `${f(p.reconcile.idleMs, 0)} (≤ 1000: ${met(p.reconcile.idleMs <= 1000)})`,
    ],
    ['start after downtime: ready (ms)', f(p.downtime.readyMs, 0)],
    [
      `then ${p.downtime.expired} expiries that fell due while down revoked in the target (ms, per second)`,
      `${f(p.downtime.revokeMs, 0)}, ${f(p.downtime.perSecond, 0)}/s (≥ 5000/s: ${met(p.downtime.perSecond >= 5000)})`,
    ],
  ]);
}

if (!json && reviews) {
  console.log('');
  printTable(reviewsRows(reviews));
}
