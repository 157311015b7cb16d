import type { Command } from 'commander';
import { loadServeConfig } from '../../config.js';
import { loadKeys } from '../../keys/load-keys.js';
import { openStore } from '../../store/connection.js';
import { migrateToLatest } from '../../store/migrate.js';
import { verifyAuditLog } from '../../ops/audit/verify.js';
import { CliError, print } from '../client.js';

interface StoreOpts {
  dataDir?: string;
  databaseUrl?: string;
}

export const storeOptions = (cmd: Command) =>
  cmd
    .option('--data-dir <dir>', 'embedded store directory (LATCH_DATA_DIR, default ./latch-data)')
    .option('--database-url <url>', 'PostgreSQL URL (DATABASE_URL); selects PostgreSQL');

// serve, migrate and audit verify: the commands that open the store themselves.
export function registerServerCommands(program: Command) {
  storeOptions(program.command('serve').description('run the Latch server'))
    .option('--host <host>', 'listen address (LATCH_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port (LATCH_PORT, default 8080)')
    .option('--log-level <level>', 'pino log level (LATCH_LOG_LEVEL, default info)')
    .action(async (opts: StoreOpts & { host?: string; port?: string; logLevel?: string }) => {
      const { runServe } = await import('../serve.js');
      await runServe(loadServeConfig(opts, process.env));
    });

  storeOptions(program.command('migrate').description('apply database migrations and exit')).action(
    async (opts: StoreOpts) => {
      const config = loadServeConfig(opts, process.env);
      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await migrateToLatest(store.db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
      } finally {
        await store.close();
      }
    },
  );

  const audit = program.command('audit').description('audit log tools');
  storeOptions(
    audit.command('verify').description('verify the audit hash chain directly in the store (offline)'),
  )
    .option('--json', 'print JSON')
    .action(async (opts: StoreOpts & { json?: boolean }) => {
      const config = loadServeConfig(opts, process.env);
      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const keys = loadKeys({
          auditKey: config.auditKey,
          secretKey: config.secretKey,
          storeKind: store.kind,
          dataDir: store.kind === 'embedded' ? config.dataDir : undefined,
        });
        const result = await verifyAuditLog({ db: store.db, keys });
        print(!!opts.json, result, () =>
          result.ok
            ? `ok: ${result.checked} events verified in ${store.location}`
            : `TAMPERED: first bad seq ${result.firstBadSeq} (${result.reason}); ${result.checked} events verified before it`,
        );
        if (!result.ok) throw new CliError('audit chain verification failed', 3);
      } finally {
        await store.close();
      }
    });
}
