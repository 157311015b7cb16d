import type { CheckResult, PathInfo } from '../access/access-index.js';
import type { AppError } from '../domain/errors.js';

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

/** One answer of a batch: an answer, or why that question has none (an id that does not exist). */
export const batchAnswerJson = (a: CheckResult | { error: AppError }) =>
  'error' in a
    ? { allowed: false, expiresAt: null, via: [], error: { code: a.error.code, detail: a.error.message } }
    : checkJson(a);

export { iso };
