import { loadCredentials } from './credentials.js';

// The HTTP client behind the CLI's client commands. It knows only the public API: LATCH_URL and LATCH_TOKEN, or
// the token `latch login` stored when LATCH_TOKEN is not set.

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface ClientConfig {
  url: string;
  token: string;
}

export const serverUrlFromEnv = (env: NodeJS.ProcessEnv) =>
  (env.LATCH_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');

export function clientConfigFromEnv(env: NodeJS.ProcessEnv): ClientConfig {
  const token = env.LATCH_TOKEN;
  if (token) return { url: serverUrlFromEnv(env), token };
  const stored = loadCredentials(env);
  // The stored token is for the server it came from: LATCH_URL naming another one does not get it.
  const url = env.LATCH_URL ? serverUrlFromEnv(env) : stored?.url;
  if (stored && url === stored.url) {
    if (Date.parse(stored.expiresAt) <= Date.now())
      throw new CliError(
        `the token from \`latch login\` expired at ${stored.expiresAt}: run \`latch login\` again`,
        2,
      );
    return { url, token: stored.token };
  }
  throw new CliError(
    'LATCH_TOKEN is not set: run `latch login`, or export an API token (see `latch tokens create`)',
    2,
  );
}

interface ProblemBody {
  detail?: string;
  code?: string;
  title?: string;
}

export async function apiRequest<T>(
  cfg: ClientConfig,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${cfg.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${cfg.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new CliError(`cannot reach Latch at ${cfg.url}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const p = (parsed ?? {}) as ProblemBody;
    throw new CliError(
      `${p.detail ?? p.title ?? res.statusText} (${res.status}${p.code ? ` ${p.code}` : ''})`,
    );
  }
  return parsed as T;
}

/** Renders rows as aligned columns for people; `--json` prints the API's JSON instead. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) =>
    v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.toUpperCase())),
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
  ].join('\n');
}

export function print(json: boolean, value: unknown, human: () => string) {
  console.log(json ? JSON.stringify(value, null, 2) : human());
}
