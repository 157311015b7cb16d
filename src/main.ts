import type { FastifyInstance } from 'fastify';
import type { ServeConfig } from './config.js';
import type { ChainedEvent } from './domain/audit-chain.js';
import { buildApp } from './http/app.js';
import { TokenCache } from './http/plugins/auth.js';
import { bootstrapAdmin, type BootstrapResult } from './ops/bootstrap-admin.js';
import type { OpsDeps } from './ops/deps.js';
import { openStore, type Store } from './store/connection.js';
import { migrateToLatest } from './store/migrate.js';
import { VERSION } from './version.js';

// The composition root: config -> store -> ops -> http. Kept small; each part takes only what it uses.

export interface Latch {
  app: FastifyInstance;
  store: Store;
  deps: OpsDeps;
  close(): Promise<void>;
}

export interface LatchOptions {
  logger?: boolean | { level: string };
  now?: () => Date;
}

/** Events after which cached token resolutions may be wrong. */
const AUTH_CHANGING_EVENTS = new Set(['token.revoked', 'user.updated', 'user.suspended']);

export async function createLatch(store: Store, options: LatchOptions = {}): Promise<Latch> {
  const tokenCache = new TokenCache();
  const onCommit = (events: ChainedEvent[]) => {
    if (events.some((e) => AUTH_CHANGING_EVENTS.has(e.type))) tokenCache.clear();
  };
  const deps: OpsDeps = { db: store.db, now: options.now ?? (() => new Date()), afterCommit: onCommit };
  const app = await buildApp({
    ops: deps,
    tokenCache,
    visibility: { visibleIdsFor: async (user) => [user.id] },
    logger: options.logger ?? false,
    version: VERSION,
  });
  return {
    app,
    store,
    deps,
    async close() {
      await app.close();
    },
  };
}

export interface RunningServer {
  latch: Latch;
  url: string;
  bootstrap: BootstrapResult;
  stop(): Promise<void>;
}

export async function startServer(config: ServeConfig): Promise<RunningServer> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let latch: Latch | undefined;
  try {
    await migrateToLatest(store.db);
    const now = () => new Date();
    const bootstrap = await bootstrapAdmin(
      { db: store.db, now },
      config.bootstrapAdminEmail,
      config.bootstrapAdminToken,
    );
    latch = await createLatch(store, { logger: { level: config.logLevel }, now });
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
