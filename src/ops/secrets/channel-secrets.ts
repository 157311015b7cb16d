import { joinChannelConfig } from '../../domain/channel-secrets.js';
import type { ChannelType } from '../../domain/notification-channels.js';
import type { Keys } from '../../keys/load-keys.js';
import type { ChannelRow } from '../../store/schema.js';
import { openFor, sealFor } from './stored-secrets.js';

// A channel's secret fields, sealed together as one JSON object for its row. Opened only to send, and to merge
// a change into them.

type K = Pick<Keys, 'secret'>;

export const sealChannelSecrets = (keys: K, id: string, secrets: Record<string, unknown> | null) =>
  secrets === null ? null : sealFor(keys, 'notification_channels', id, JSON.stringify(secrets));

export function openChannelSecrets(
  keys: K,
  row: Pick<ChannelRow, 'id' | 'sealed_secrets'>,
): Record<string, unknown> | null {
  if (row.sealed_secrets === null) return null;
  return JSON.parse(openFor(keys, 'notification_channels', row.id, row.sealed_secrets)) as Record<
    string,
    unknown
  >;
}

/**
 * The whole configuration, secrets opened, for sending. A row written before secrets were sealed (and not yet
 * sealed by start-up) still has them in its config, which is used as it is.
 */
export const channelSendConfig = (
  keys: K,
  row: Pick<ChannelRow, 'id' | 'type' | 'config' | 'sealed_secrets'>,
) => joinChannelConfig(row.type as ChannelType, row.config, openChannelSecrets(keys, row));
