import type { Command } from 'commander';
import { generateKeyText } from '../../keys/key-material.js';

// Keys are made offline: nothing is sent anywhere, and the key is printed once for the operator to store.
export function registerKeyCommands(program: Command) {
  const keys = program.command('keys').description('keys Latch holds outside its database');
  keys
    .command('generate')
    .description(
      'print a fresh key (base64 of 32 random bytes) for LATCH_AUDIT_KEY or LATCH_SECRET_KEY; run once for each',
    )
    .action(() => {
      console.log(generateKeyText());
    });
}
