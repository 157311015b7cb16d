import { CliError, type ClientConfig } from './client.js';

/** GET /api/v1/backup: the archive's bytes, or the server's problem as a CliError. */
export async function downloadBackup(cfg: ClientConfig): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(`${cfg.url}/api/v1/backup`, { headers: { authorization: `Bearer ${cfg.token}` } });
  } catch (err) {
    throw new CliError(`cannot reach Latch at ${cfg.url}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  if (!res.ok) {
    const text = await res.text();
    let p: { detail?: string; code?: string } = {};
    try {
      p = JSON.parse(text) as typeof p;
    } catch {
      /* not a problem document: the status says enough */
    }
    throw new CliError(`${p.detail ?? res.statusText} (${res.status}${p.code ? ` ${p.code}` : ''})`);
  }
  return Buffer.from(await res.arrayBuffer());
}
