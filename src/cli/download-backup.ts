import type { ClientConfig } from './client.js';
import { openApiStream } from './api-stream.js';

/** GET /api/v1/backup: the archive's bytes, or the server's problem as a CliError. */
export async function downloadBackup(cfg: ClientConfig): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openApiStream(cfg, '/backup')) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
