import type { CheckResult, PathInfo } from '../access/access-index.js';

// Access answers in the API's shape: epoch milliseconds become RFC 3339, null stays "no end".

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const pathJson = (p: PathInfo) => ({
  grantId: p.grantId,
  source: p.source,
  groupIds: p.groupIds,
  expiresAt: iso(p.endsAt),
});

export const checkJson = (r: CheckResult) => ({
  allowed: r.allowed,
  expiresAt: r.allowed ? iso(r.expiresAt) : null,
  via: r.via.map(pathJson),
});

export { iso };
