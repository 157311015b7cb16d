import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseOutboundAllowlist } from '../../src/ops/shared/outbound/allowlist.js';
import type { OutboundPolicy } from '../../src/ops/shared/outbound/policy.js';

// A stand-in on-call provider on loopback for what a spec mock cannot show: paging, failures, slow and huge
// answers. Each test sets `handle`; every request is recorded with its parsed URL and headers.

export interface FakeRequest {
  url: URL;
  headers: IncomingHttpHeaders;
}

export interface FakeProvider {
  url: string;
  requests: FakeRequest[];
  handle: (req: FakeRequest, res: ServerResponse) => void;
  close(): Promise<void>;
}

/** The fakes listen on loopback, which Latch calls only when allowed: these tests allow it explicitly. */
export const LOOPBACK: OutboundPolicy = { allow: parseOutboundAllowlist('127.0.0.1') };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const fake: FakeProvider = {
    url: '',
    requests: [],
    handle: (_req, res) => sendJson(res, 500, { message: 'no handler' }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const recorded = { url: new URL(req.url ?? '/', fake.url), headers: req.headers };
    fake.requests.push(recorded);
    fake.handle(recorded, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

const period = (start: string, end: string, recipient: unknown, extra = {}) => ({
  startDate: start,
  endDate: end,
  type: 'default',
  recipient,
  ...extra,
});

/**
 * An Opsgenie timeline answer shaped as the official spec says (checked against it through Prism): users,
 * an override, a team, a historical escalation period resolved to a user, an escalation, an empty slot.
 */
export const opsgenieTimeline = (scheduleId: string) => ({
  requestId: '9ae63dd7-ed00-4c81-86f0-c4ffd33142c9',
  took: 0.05,
  expandable: ['base', 'forwarding', 'override'],
  data: {
    _parent: { id: scheduleId, name: 'Primary', enabled: true },
    startDate: '2024-03-01T00:00:00Z',
    endDate: '2024-03-09T00:00:00Z',
    finalTimeline: {
      rotations: [
        {
          id: 'r1',
          name: 'Weekly',
          order: 1,
          periods: [
            period('2024-03-01T00:00:00Z', '2024-03-04T00:00:00Z', {
              id: 'u1',
              type: 'user',
              name: 'alice@example.com',
            }),
            period(
              '2024-03-04T00:00:00Z',
              '2024-03-05T00:00:00Z',
              { id: 'u2', type: 'user', name: 'Bob@Example.com' },
              { type: 'override' },
            ),
            period('2024-03-05T00:00:00Z', '2024-03-09T00:00:00Z', { id: 't1', type: 'team', name: 'SRE' }),
          ],
        },
        {
          id: 'r2',
          name: 'Escalations',
          order: 2,
          periods: [
            period(
              '2024-02-28T00:00:00Z',
              '2024-03-02T00:00:00Z',
              { id: 'e1', type: 'escalation', name: 'Ops' },
              {
                type: 'historical',
                flattenedRecipients: [{ id: 'u3', type: 'user', name: 'carol@example.com' }],
              },
            ),
            period('2024-03-02T00:00:00Z', '2024-03-03T00:00:00Z', {
              id: 'e1',
              type: 'escalation',
              name: 'Ops',
            }),
            period('2024-03-03T00:00:00Z', '2024-03-04T00:00:00Z', { type: 'none' }),
          ],
        },
      ],
    },
  },
});
