import type { Command } from 'commander';
import { loadServeConfig } from '../../config.js';

interface StoreOpts {
  dataDir?: string;
  databaseUrl?: string;
}

export const storeOptions = (cmd: Command) =>
  cmd
    .option('--data-dir <dir>', 'embedded store directory (LATCH_DATA_DIR, default ./latch-data)')
    .option('--database-url <url>', 'PostgreSQL URL (DATABASE_URL); selects PostgreSQL');

// serve, migrate and audit verify: the commands that open the store themselves. They load it when run, so the
// client commands start without it.
export function registerServerCommands(program: Command) {
  storeOptions(program.command('serve').description('run the Latch server'))
    .option('--host <host>', 'listen address (LATCH_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port (LATCH_PORT, default 8080)')
    .option('--log-level <level>', 'pino log level (LATCH_LOG_LEVEL, default info)')
    .option(
      '--tls-cert <file>',
      'serve https with this PEM certificate chain (LATCH_TLS_CERT); needs --tls-key',
    )
    .option('--tls-key <file>', 'the PEM private key of --tls-cert (LATCH_TLS_KEY)')
    .option(
      '--public-url <url>',
      'where people open Latch, e.g. https://latch.example.com behind a proxy (LATCH_PUBLIC_URL)',
    )
    .option('--oidc-issuer <url>', 'single sign-on: the OpenID Connect issuer (LATCH_OIDC_ISSUER)')
    .option('--oidc-client-id <id>', 'the client Latch signs in through (LATCH_OIDC_CLIENT_ID)')
    .option('--oidc-scopes <scopes>', 'scopes asked for (LATCH_OIDC_SCOPES, default "openid email profile")')
    .option('--oidc-groups-claim <claim>', 'the claim listing groups (LATCH_OIDC_GROUPS_CLAIM)')
    .option(
      '--oidc-admin-groups <groups>',
      'comma-separated groups that make admins (LATCH_OIDC_ADMIN_GROUPS)',
    )
    .option(
      '--oidc-auditor-groups <groups>',
      'comma-separated groups that make auditors (LATCH_OIDC_AUDITOR_GROUPS)',
    )
    .option(
      '--oidc-create-users <bool>',
      'create a member at a first sign-in with a verified e-mail (LATCH_OIDC_CREATE_USERS, default true)',
    )
    .option('--oidc-cli-client-id <id>', 'the public client `latch login` uses (LATCH_OIDC_CLI_CLIENT_ID)')
    .option('--oidc-provider-name <name>', 'shown as "Sign in with <name>" (LATCH_OIDC_PROVIDER_NAME)')
    .action(async (opts: StoreOpts & { host?: string; port?: string; logLevel?: string }) => {
      const { runServe } = await import('../serve.js');
      await runServe(loadServeConfig(opts, process.env));
    });

  storeOptions(program.command('migrate').description('apply database migrations and exit')).action(
    async (opts: StoreOpts) => {
      const config = loadServeConfig(opts, process.env);
      const { openStore } = await import('../../store/connection.js');
      const { migrateToLatest } = await import('../../store/migrate.js');
      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      for (const notice of store.notices) console.error(`latch: ${notice}`);
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
    audit
      .command('verify')
      .description(
        'verify the audit chain directly in the store (offline): every MAC, link and checkpoint, and the head',
      ),
  )
    .option(
      '--checkpoints <file>',
      'checkpoints kept outside, as the audit stream sent them (a SIEM export: JSON lines or a JSON array)',
    )
    .option('--json', 'print JSON')
    .action(async (opts: StoreOpts & { json?: boolean; checkpoints?: string }) => {
      const { runAuditVerify } = await import('../audit-verify.js');
      await runAuditVerify(loadServeConfig(opts, process.env), {
        checkpoints: opts.checkpoints,
        json: !!opts.json,
      });
    });
}
