import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CliError, type ClientConfig } from './client.js';

/**
 * GET a download from the API as a stream of bytes, read as they arrive; the server's problem (or an
 * unreachable server) is a CliError before any byte is given.
 */
export async function openApiStream(cfg: ClientConfig, path: string): Promise<Readable> {
  let res: Response;
  try {
    res = await fetch(`${cfg.url}/api/v1${path}`, { headers: { authorization: `Bearer ${cfg.token}` } });
  } catch (err) {
    throw new CliError(`cannot reach Latch at ${cfg.url}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  if (!res.ok || !res.body) {
    const text = await res.text();
    let p: { detail?: string; code?: string } = {};
    try {
      p = JSON.parse(text) as typeof p;
    } catch {
      /* not a problem document: the status says enough */
    }
    throw new CliError(`${p.detail ?? res.statusText} (${res.status}${p.code ? ` ${p.code}` : ''})`);
  }
  return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
}
