import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for a remote calendar or API on loopback: answers whatever the test currently sets, and can be
// made to fail, so outages and recoveries can be shown.

export interface FeedServer {
  url: string;
  /** What GET answers from now on: a status and a body. */
  set(status: number, body: string, type?: string): void;
  hits(): number;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  let status = 200;
  let body = '';
  let type = 'text/calendar';
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set(s, b, t = 'text/calendar') {
      status = s;
      body = b;
      type = t;
    },
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
