import type { ChannelConfig, ChannelType, EmailConfig } from '../../domain/notification-channels.js';
import type { OpsDeps } from '../shared/deps.js';
import { assertConfiguredHost, urlHost } from '../shared/outbound/configured-destination.js';

// Where a channel sends to must be a public destination unless an operator allowed it; a plainly internal one
// is refused when it is configured (and every destination again when it is connected to).

const DESTINATION: Record<ChannelType, string> = { email: 'host', slack: 'webhookUrl', webhook: 'url' };

/**
 * Refuses the channel's destination with a 400 naming the field. `changed`, when given, lists the config
 * fields being changed: a destination left as it was is not judged again, so a channel can still be renamed
 * or turned off after the allowlist changed.
 */
export function assertChannelDestination(
  deps: Pick<OpsDeps, 'outbound'>,
  type: ChannelType,
  config: ChannelConfig,
  changed?: readonly string[],
): void {
  const field = DESTINATION[type];
  if (changed && !changed.includes(field)) return;
  const value = (config as unknown as Record<string, unknown>)[field];
  const host = type === 'email' ? (config as EmailConfig).host : urlHost(value);
  assertConfiguredHost(deps.outbound?.allow, `config.${field}`, host);
}
