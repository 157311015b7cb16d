import { channelCarries } from '../../domain/notification-channels.js';
import { emailChannelRows } from '../../store/notification-channels.js';
import type { Tx } from '../shared/deps.js';

/**
 * How many of these people a notice of this kind is e-mailed to: all of them when an enabled e-mail channel
 * carries the kind (delivery picks the first such channel), none otherwise. What events record and people are
 * told as "e-mailed to", so it is never claimed when no channel would send it.
 */
export async function emailedCount(trx: Tx, kind: string, recipients: readonly string[]): Promise<number> {
  if (recipients.length === 0) return 0;
  return (await emailChannelRows(trx)).some((c) => channelCarries(c, kind)) ? recipients.length : 0;
}
