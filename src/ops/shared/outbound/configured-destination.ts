import { invalid } from '../../../domain/errors.js';
import { NOTHING_ALLOWED, type OutboundAllowlist } from './allowlist.js';
import { configuredHostProblem } from './policy.js';

// Destinations are refused when they are configured if they are plainly internal, so an admin hears about it
// at once rather than from the first failed call. Host names are still judged at every connect.

/** The host of a configured URL (`webcal://` read as https), or null when it is no URL: checked elsewhere. */
export function urlHost(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  try {
    return new URL(raw.trim().replace(/^webcals?:\/\//i, 'https://')).hostname || null;
  } catch {
    return null;
  }
}

/** A 400 naming the field (and the host, never the URL) when the destination is plainly not public. */
export function assertConfiguredHost(
  allow: OutboundAllowlist | undefined,
  field: string,
  host: string | null,
): void {
  const problem = host === null ? null : configuredHostProblem(allow ?? NOTHING_ALLOWED, host);
  if (problem) throw invalid(field, problem);
}
