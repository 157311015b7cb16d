import type { Command } from 'commander';

// login and logout: the API token from single sign-on, kept for the other client commands.
export function registerLoginCommands(program: Command) {
  program
    .command('login')
    .description(
      'sign in with the identity provider Latch uses (LATCH_URL) and keep a 12-hour token for the other commands',
    )
    .action(async () => {
      const { runLogin } = await import('../login.js');
      await runLogin(process.env, (line) => console.error(line));
    });
  program
    .command('logout')
    .description('revoke the token `latch login` kept, and delete it')
    .action(async () => {
      const { runLogout } = await import('../login.js');
      await runLogout(process.env, (line) => console.error(line));
    });
}
