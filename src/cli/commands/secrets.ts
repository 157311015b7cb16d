import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadServeConfig, type ServeConfig } from '../../config.js';
import { keyFilePath } from '../../keys/key-files.js';
import { parseKey } from '../../keys/key-material.js';
import { loadKeys } from '../../keys/load-keys.js';
import { replaceKeyFile } from '../../keys/replace-key-file.js';
import type { RotationResult } from '../../ops/secrets/rotate-key.js';
import { CliError, print } from '../client.js';
import { storeOptions } from './server.js';

// `latch secrets rotate-key`: opens the store itself, like `latch audit verify`. The embedded store's data
// directory lock makes sure no server runs on it meanwhile; PostgreSQL servers must be given the new key after.

interface RotateOpts {
  dataDir?: string;
  databaseUrl?: string;
  newKeyFile: string;
  json?: boolean;
}

export function registerSecretCommands(program: Command) {
  const secrets = program.command('secrets').description('secrets stored sealed in the database');
  storeOptions(
    secrets
      .command('rotate-key')
      .description(
        're-seal every stored secret under a new secret key, in one transaction (stop the server first)',
      ),
  )
    .requiredOption(
      '--new-key-file <file>',
      'the new key: base64 of 32 random bytes, as `latch keys generate` prints',
    )
    .option('--json', 'print JSON')
    .action(async (opts: RotateOpts) => {
      const config = loadServeConfig(opts, process.env);
      const newKeyText = readNewKey(opts.newKeyFile);
      const newKey = parseKey(newKeyText, opts.newKeyFile);
      const embedded = !config.databaseUrl;
      // The embedded store reads its key from this file unless LATCH_SECRET_KEY is set.
      const keyFile = embedded && !config.secretKey ? keyFilePath(config.dataDir, 'secret') : undefined;
      if (embedded) assertDataDir(config, keyFile);
      const { rotateSecretKey, SecretRotationRefused } = await import('../../ops/secrets/rotate-key.js');
      const { openStore } = await import('../../store/connection.js');
      const { isMigrated } = await import('../../store/migrate.js');
      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        if (!(await isMigrated(store.db)))
          throw new CliError('the database is not migrated to this version: run `latch migrate` first');
        const keys = loadKeys({
          auditKey: config.auditKey,
          secretKey: config.secretKey,
          storeKind: store.kind,
          dataDir: embedded ? config.dataDir : undefined,
        });
        let result: RotationResult;
        try {
          result = await rotateSecretKey({ db: store.db, keys }, newKey);
        } catch (err) {
          if (err instanceof SecretRotationRefused) throw new CliError(`refused: ${err.message}`, 2);
          throw err;
        }
        // Replaced while the data directory is still locked, so no server can start between the two.
        if (keyFile) replaceKeyFileAfterCommit(keyFile, newKeyText, opts.newKeyFile);
        const next = nextSteps(keyFile, embedded, opts.newKeyFile);
        print(!!opts.json, { ...result, keyFileReplaced: keyFile ?? null, next }, () =>
          [
            `re-sealed ${result.notificationChannels} notification channel, ${result.onCallSchedules} on-call ` +
              `schedule and ${result.connections} connection secrets under key ${result.toKeyId} (was ${result.fromKeyId})` +
              (result.sealedFromClear
                ? `; sealed ${result.sealedFromClear} rows that were stored in clear`
                : ''),
            `next: ${next}`,
          ].join('\n'),
        );
      } finally {
        await store.close();
      }
    });
}

function readNewKey(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read the new key file ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** Refuses a data directory that holds no store, or whose key file is missing: neither has secrets to rotate. */
function assertDataDir(config: ServeConfig, keyFile: string | undefined) {
  if (!existsSync(join(config.dataDir, 'pgdata')))
    throw new CliError(`no Latch data directory at ${config.dataDir} (give --data-dir or LATCH_DATA_DIR)`);
  if (keyFile && !existsSync(keyFile))
    throw new CliError(`no secret key file at ${keyFile}: set LATCH_SECRET_KEY to the key in use`);
}

function replaceKeyFileAfterCommit(keyFile: string, keyText: string, newKeyFile: string) {
  try {
    replaceKeyFile(keyFile, keyText);
  } catch (err) {
    throw new CliError(
      `the secrets are now sealed under the new key, but ${keyFile} could not be replaced ` +
        `(${(err as Error).message}): copy ${newKeyFile} to ${keyFile} (chmod 600) before starting the server`,
    );
  }
}

function nextSteps(keyFile: string | undefined, embedded: boolean, newKeyFile: string): string {
  const retire = `keep a copy of the new key apart from database backups; the old key no longer opens anything`;
  if (keyFile)
    return `${keyFile} now holds the new key: start the server as usual; ${retire}, and ${newKeyFile} may be deleted`;
  if (embedded) return `set LATCH_SECRET_KEY to the key in ${newKeyFile}, then start the server; ${retire}`;
  return (
    `set LATCH_SECRET_KEY to the key in ${newKeyFile} on every Latch process and restart them all ` +
    `(until restarted, a process cannot open the re-sealed secrets: its deliveries and syncs fail and are retried); ${retire}`
  );
}
