import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

// A receiver on loopback that checks credentials the way the real ones do: a path answers only when the request
// carries what `expect` says (the exact URL, with its query, and any headers), so a delivery or fetch that
// succeeds shows the right secret was sent. A refused request is answered with the request echoed back, as a
// careless server might, so tests can see that no message passes the echo on.

export interface StandInRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Expectation {
  /** Headers that must be present with exactly these values. */
  headers?: Record<string, string>;
  answer: () => { status?: number; body: string; type?: string };
}

export interface CredentialStandIn {
  url: string;
  requests: StandInRequest[];
  /** Answers requests whose path and query are `pathAndQuery` (a prefix when it ends with `*`). */
  expect(pathAndQuery: string, e: Expectation): void;
  close(): Promise<void>;
}

export async function startCredentialStandIn(): Promise<CredentialStandIn> {
  const requests: StandInRequest[] = [];
  const routes = new Map<string, Expectation>();
  const find = (url: string) => {
    for (const [key, e] of routes)
      if (key.endsWith('*') ? url.startsWith(key.slice(0, -1)) : url === key) return e;
    return undefined;
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const r = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      requests.push(r);
      const e = find(r.url);
      const ok = e && Object.entries(e.headers ?? {}).every(([k, v]) => req.headers[k.toLowerCase()] === v);
      if (!e || !ok) {
        const echo = `refused ${r.method} ${r.url} with authorization ${req.headers.authorization ?? '(none)'}`;
        res.writeHead(e ? 401 : 404, { 'content-type': 'text/plain' }).end(echo);
        return;
      }
      const a = e.answer();
      res.writeHead(a.status ?? 200, { 'content-type': a.type ?? 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    expect: (key, e) => routes.set(key, e),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
