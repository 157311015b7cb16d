import { readFileSync } from 'node:fs';
import { CliError } from './client.js';

// A secret for a command, never from an argument: a file, standard input, an environment variable, or a prompt
// that does not echo.

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: CliError) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new CliError('canceled', 130));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The secret, never from an argument: `--secret-file PATH` (`-`: standard input), else the environment
 * variable `envName`, else a prompt that does not echo when standard input is a terminal. One trailing newline is dropped.
 */
export async function readSecret(
  what: string,
  secretFile: string | undefined,
  envName: string,
): Promise<string> {
  let text: string;
  if (secretFile === '-')
    text = process.stdin.isTTY ? await promptHidden(`${what}: `) : await readAll(process.stdin);
  else if (secretFile !== undefined) {
    try {
      text = readFileSync(secretFile, 'utf8');
    } catch (err) {
      throw new CliError(
        `cannot read the secret file ${secretFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        2,
      );
    }
  } else if (process.env[envName] !== undefined) text = process.env[envName];
  else if (process.stdin.isTTY) text = await promptHidden(`${what}: `);
  else
    throw new CliError(
      `give ${what} with --secret-file PATH, --secret-file - (standard input) or ${envName}`,
      2,
    );
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw new CliError(`${what} is empty`, 2);
  return secret;
}
