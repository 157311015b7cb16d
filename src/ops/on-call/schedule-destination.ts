import type { OnCallProvider } from '../../domain/on-call/shifts.js';
import type { OpsDeps } from '../shared/deps.js';
import { assertConfiguredHost, urlHost } from '../shared/outbound/configured-destination.js';

// A remote schedule's feed or API must be a public destination unless an operator allowed it; a plainly
// internal one is refused when it is configured (and every destination again when it is connected to).

export function assertScheduleDestination(
  deps: Pick<OpsDeps, 'outbound'>,
  provider: OnCallProvider,
  config: Record<string, unknown>,
): void {
  const field = provider === 'ical' ? 'url' : provider === 'builtin' ? null : 'baseUrl';
  if (field && config[field] !== undefined)
    assertConfiguredHost(deps.outbound?.allow, `config.${field}`, urlHost(config[field]));
}
