import type { StoreDb } from './store/handles.js';
import type { FastifyInstance } from 'fastify';
import { AccessSync } from './access/access-sync.js';
import { freshReader } from './access/index-reader.js';
import { readFileSync } from 'node:fs';
import { ConfigError, DEFAULT_MAX_INDEX_LAG_MS } from './config.js';
import { isLoopbackHost } from './domain/cookie-security.js';
import type { ServeConfig } from './config.js';
import type { ChainedEvent } from './domain/audit-chain.js';
import { requestTtlMinutes } from './domain/requests.js';
import { onCallSyncIntervalMs } from './domain/on-call/sync-timing.js';
import { buildApp } from './http/app.js';
import { TokenCache } from './http/plugins/auth.js';
import { bootstrapAdmin, type BootstrapResult } from './ops/identity/bootstrap-admin.js';
import type { OpsDeps } from './ops/shared/deps.js';
import { IdentityProvider } from './ops/identity/oidc-provider.js';
import type { OidcSettings } from './domain/oidc/settings.js';
import { LIVE_FETCH_BUDGET } from './ops/on-call/fetch-live.js';
import type { OutboundAllowlist } from './ops/shared/outbound/allowlist.js';
import { RateLimiter } from './ops/shared/rate-limiter.js';
import { sealClearSecrets } from './ops/secrets/seal-clear.js';
import { sealAuditChain } from './ops/audit/seal-audit-chain.js';
import { openStore, type Store } from './store/connection.js';
import { migrateToLatest } from './store/migrate.js';
import { startJobs, type JobOptions, type Jobs } from './jobs/jobs.js';
import { connectorKinds } from './provisioning/connector-kinds.js';
import { ProvisioningEngine, type ProvisioningOptions } from './provisioning/engine.js';
import { loadKeys, type Keys } from './keys/load-keys.js';
import { VERSION } from './version.js';

// The composition root: config -> store -> access index -> ops -> http. Each part takes only what it uses.

export interface Latch {
  app: FastifyInstance;
  store: Store;
  deps: OpsDeps;
  sync: AccessSync;
  /** The time engine, notification delivery and audit streams; undefined when started with `jobs: false`. */
  jobs: Jobs | undefined;
  /** What applies access to connected systems; undefined when started with `jobs: false`. */
  provisioning: ProvisioningEngine | undefined;
  close(): Promise<void>;
}

export interface LatchOptions {
  /** Held outside the database: the audit chain's key and the stored secrets' key (src/keys). */
  keys: Keys;
  logger?: boolean | { level: string };
  now?: () => Date;
  /** How often the access index polls for changes it was not notified of (ms). */
  syncPollMs?: number;
  /** Run the background workers (default true); tests that drive time by hand turn them off. */
  jobs?: boolean;
  jobOptions?: JobOptions;
  provisioningOptions?: ProvisioningOptions;
  /** How long a request waits for a decision before it lapses; LATCH_REQUEST_TTL_MINUTES or 7 days. */
  requestTtlMinutes?: number;
  /** How often remote on-call schedules are fetched (ms); LATCH_ON_CALL_SYNC_MINUTES or 5 minutes. */
  onCallSyncIntervalMs?: number;
  /** The built web UI folder; dist/web under the package root by default. */
  webDir?: string;
  /**
   * Destinations Latch may call although they are not public (LATCH_OUTBOUND_ALLOW); none by default: on-call
   * providers, Slack, webhooks and SMTP then reach public addresses only.
   */
  outboundAllow?: OutboundAllowlist;
  /** How far behind the audit log the access index may be before it refuses to answer; LATCH_MAX_INDEX_LAG_MS. */
  maxIndexLagMs?: number;
  /** LATCH_PUBLIC_URL: where people open Latch; decides whether the session cookie is Secure. */
  publicUrl?: URL | undefined;
  /** Serve https with this PEM certificate chain and key. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /** LATCH_OIDC_*: single sign-on through an OpenID Connect provider. */
  oidc?: OidcSettings | undefined;
  /** The database the access index follows; the store's own by default (a test may wrap it to inject faults). */
  syncDb?: StoreDb;
}

/** Events after which cached token resolutions may be wrong. */
const AUTH_CHANGING_EVENTS = new Set([
  'token.revoked',
  'user.updated',
  'user.suspended',
  'user.deprovisioned',
]);

export async function createLatch(store: Store, options: LatchOptions): Promise<Latch> {
  const now = options.now ?? (() => new Date());
  // Before anything else: a wrong audit key stops the start, and a log written before the key is sealed.
  await sealAuditChain({ db: store.db, now, keys: options.keys });
  const tokenCache = new TokenCache();
  let jobs: Jobs | undefined;
  let provisioning: ProvisioningEngine | undefined;
  const onEvents = (events: ChainedEvent[]) => {
    if (events.some((e) => AUTH_CHANGING_EVENTS.has(e.type))) tokenCache.clear();
    // Other processes' changes arrive here too: a grant created there may be due here first.
    jobs?.poke(events);
    provisioning?.poke(events);
  };
  // Reported to the server's log once it exists; failures before that are thrown.
  let report = (_err: unknown, _context: string): void => undefined;
  const sync = await AccessSync.start({
    db: options.syncDb ?? store.db,
    listenUrl: store.databaseUrl,
    pollIntervalMs: options.syncPollMs ?? 1000,
    maxLagMs: options.maxIndexLagMs ?? DEFAULT_MAX_INDEX_LAG_MS,
    onEvents,
    onError: (err) => report(err, 'access index catch-up'),
  });
  const deps: OpsDeps = {
    db: store.db,
    now,
    keys: options.keys,
    index: freshReader(sync.index, sync.known, sync.freshness, () => sync.appliedSeq),
    afterCommit: async (events) => {
      jobs?.poke(events);
      // Awaited, so a caller's next check sees its change; a failure is retried by the sync, whose index
      // refuses to answer until it has caught up.
      await sync.catchUp(events);
      // After the index has the change, so that planning reads it.
      provisioning?.poke(events);
    },
    reportError: (err, context) => report(err, context),
    requestTtlMinutes: options.requestTtlMinutes ?? requestTtlMinutes(process.env),
    onCallSyncIntervalMs: options.onCallSyncIntervalMs ?? onCallSyncIntervalMs(process.env),
    ...(options.outboundAllow ? { outbound: { allow: options.outboundAllow } } : {}),
    liveOnCallFetches: new RateLimiter(LIVE_FETCH_BUDGET),
    ...(store.snapshot ? { snapshotStore: store.snapshot } : {}),
    connectors: connectorKinds(options.outboundAllow ? { allow: options.outboundAllow } : undefined),
  };
  const app = await buildApp({
    ops: deps,
    tokenCache,
    logger: options.logger ?? false,
    version: VERSION,
    webDir: options.webDir,
    publicUrl: options.publicUrl,
    tls: options.tls,
    identityProvider: options.oidc && new IdentityProvider(options.oidc, deps.outbound),
  });
  report = (err, context) => app.log.error({ err }, `${context} failed`);
  // Before any job may send: whatever was stored in clear is sealed first.
  const sealed = await sealClearSecrets(deps).catch(async (err: unknown) => {
    await app.close();
    await sync.close();
    throw err;
  });
  if (sealed.notificationChannels + sealed.onCallSchedules > 0)
    app.log.info(sealed, 'sealed secrets that were stored in clear');
  if (options.jobs ?? true) {
    jobs = startJobs(deps, {
      onError: (err) => app.log.error({ err }, 'background job failed'),
      ...options.jobOptions,
    });
    provisioning = new ProvisioningEngine(deps, {
      onError: (err) => app.log.error({ err }, 'provisioning failed'),
      ...options.provisioningOptions,
    });
    provisioning.start();
  }
  return {
    app,
    store,
    deps,
    sync,
    jobs,
    provisioning,
    async close() {
      await provisioning?.close();
      await jobs?.close();
      await app.close();
      await sync.close();
    },
  };
}

export interface RunningServer {
  latch: Latch;
  url: string;
  bootstrap: BootstrapResult;
  stop(): Promise<void>;
}

function readTls(files: { certFile: string; keyFile: string }) {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError(`cannot read the TLS ${what} ${file}: ${(err as Error).message}`);
    }
  };
  return { cert: read(files.certFile, 'certificate'), key: read(files.keyFile, 'key') };
}

/** What to tell an operator at start-up when browsers reaching this listener will lose or expose sessions. */
function servingTransportWarning(config: ServeConfig): string | undefined {
  if (config.tls || isLoopbackHost(config.host)) return undefined;
  if (!config.publicUrl)
    return (
      `listening on ${config.host} over plain http without LATCH_PUBLIC_URL: browsers reaching Latch at a name ` +
      'other than localhost get a session cookie that is not Secure and travels in clear. Serve https ' +
      '(--tls-cert/--tls-key) or put a TLS proxy in front and set LATCH_PUBLIC_URL=https://…'
    );
  if (config.publicUrl.protocol === 'http:')
    return `LATCH_PUBLIC_URL is ${config.publicUrl.origin}: session cookies travel without TLS`;
  return undefined;
}

export async function startServer(config: ServeConfig): Promise<RunningServer> {
  const tls = config.tls && readTls(config.tls);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let latch: Latch | undefined;
  try {
    const keys = loadKeys({
      auditKey: config.auditKey,
      secretKey: config.secretKey,
      storeKind: store.kind,
      dataDir: store.kind === 'embedded' ? config.dataDir : undefined,
    });
    await migrateToLatest(store.db);
    const now = () => new Date();
    const sealed = await sealAuditChain({ db: store.db, now, keys });
    const bootstrap = await bootstrapAdmin(
      { db: store.db, now, keys },
      config.bootstrapAdminEmail,
      config.bootstrapAdminToken,
    );
    latch = await createLatch(store, {
      keys,
      logger: { level: config.logLevel },
      now,
      outboundAllow: config.outboundAllow,
      maxIndexLagMs: config.maxIndexLagMs,
      publicUrl: config.publicUrl,
      tls,
      oidc: config.oidc,
    });
    if (sealed.sealedNow && sealed.unkeyedEvents > 0)
      latch.app.log.info(
        { unkeyedEvents: sealed.unkeyedEvents },
        'audit log verified and sealed: events from now on carry an HMAC under the audit key',
      );
    for (const notice of store.notices) latch.app.log.warn({ location: store.location }, notice);
    const transport = servingTransportWarning(config);
    if (transport) latch.app.log.warn(transport);
    const url = await latch.app.listen({ host: config.host, port: config.port });
    const running = latch;
    return {
      latch: running,
      url,
      bootstrap,
      async stop() {
        await running.close();
        await store.close();
      },
    };
  } catch (err) {
    await latch?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}
