import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

// An HTTP endpoint on loopback that records every request, for webhook and Slack tests. Each path answers as its
// handler says (a status, after an optional delay); unknown paths answer 200.

export interface Captured {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type Handler = (req: Captured, nth: number) => { status: number; delayMs?: number };

export interface CaptureServer {
  url: string;
  requests: Captured[];
  on(path: string, handler: Handler): void;
  at(path: string): Captured[];
  close(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: Captured[] = [];
  const handlers = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      const captured = { path, headers: req.headers, body, at: Date.now() };
      requests.push(captured);
      const nth = (counts.get(path) ?? 0) + 1;
      counts.set(path, nth);
      const answer = handlers.get(path)?.(captured, nth) ?? { status: 200 };
      setTimeout(
        () => res.writeHead(answer.status, { 'content-type': 'text/plain' }).end('ok'),
        answer.delayMs ?? 0,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on: (path, handler) => handlers.set(path, handler),
    at: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
