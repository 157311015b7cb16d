import type { ServeConfig } from '../config.js';
import { startServer } from '../main.js';

/** Runs the server until SIGTERM or SIGINT, then stops accepting requests, drains, and closes the store. */
export async function runServe(config: ServeConfig): Promise<void> {
  const server = await startServer(config);
  const log = server.latch.app.log;
  if (server.bootstrap.generatedToken) {
    // Printed once, plainly, so an operator can copy it from the terminal; it is never stored in clear.
    console.log(
      `\nLatch ${server.bootstrap.restored ? 'made the user' : 'created the admin'} ${server.bootstrap.email}${server.bootstrap.restored ? ' an active admin again, as no active admin was left' : ''}. Its API token, shown only this once:\n\n  ${server.bootstrap.generatedToken}\n`,
    );
  }
  log.info(
    { url: server.url, store: server.latch.store.kind, location: server.latch.store.location },
    'latch is serving',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
