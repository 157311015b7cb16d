import { Command } from 'commander';
import { ConfigError } from '../config.js';
import { AuditKeyMismatchError, UnsealedChainError } from '../domain/audit-chain.js';
import { ChainBrokenError } from '../domain/audit-verification.js';
import { KeyFileError } from '../keys/key-files.js';
import { KeyFormatError } from '../keys/key-material.js';
import { MissingKeysError } from '../keys/load-keys.js';
import { DataDirLockedError } from '../store/data-dir-lock.js';
import { VERSION } from '../version.js';
import { CliError } from './client.js';
import { registerAccessCommands } from './commands/access.js';
import { registerAccountCommands } from './commands/account.js';
import { registerScimTokenCommands } from './commands/scim-tokens.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerBreakGlassCommands } from './commands/break-glass.js';
import { registerConnectionCommands } from './commands/connections.js';
import { registerItemCommands } from './commands/items.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerLinkCommands } from './commands/link.js';
import { registerLoginCommands } from './commands/login.js';
import { registerOnCallCommands } from './commands/on-call.js';
import { registerRequestCommands } from './commands/requests.js';
import { registerReviewCommands } from './commands/reviews.js';
import { registerSecretCommands } from './commands/secrets.js';
import { registerServerCommands } from './commands/server.js';

const program = new Command('latch')
  .description('Latch: just-in-time and break-glass access')
  .version(VERSION);
registerServerCommands(program);
registerKeyCommands(program);
registerSecretCommands(program);
registerBackupCommands(program);
registerLoginCommands(program);
registerAccountCommands(program);
registerScimTokenCommands(program);
registerItemCommands(program);
registerAccessCommands(program);
registerBreakGlassCommands(program);
registerRequestCommands(program);
registerOnCallCommands(program);
registerConnectionCommands(program);
registerLinkCommands(program);
registerReviewCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (
    err instanceof DataDirLockedError ||
    err instanceof ConfigError ||
    err instanceof KeyFormatError ||
    err instanceof KeyFileError ||
    err instanceof MissingKeysError ||
    err instanceof AuditKeyMismatchError ||
    err instanceof UnsealedChainError ||
    err instanceof ChainBrokenError
  ) {
    console.error(`latch: ${err.message}`);
    process.exit(1);
  }
  if (err instanceof CliError) {
    console.error(`latch: ${err.message}`);
    process.exit(err.exitCode);
  }
  throw err;
}
