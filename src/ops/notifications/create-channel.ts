import { splitChannelConfig } from '../../domain/channel-secrets.js';
import {
  channelSettings,
  type ChannelType,
  type NotificationChannel,
} from '../../domain/notification-channels.js';
import { type Actor } from '../../domain/users.js';
import { startCursor } from '../../store/event-stream-cursors.js';
import { readAuditHead } from '../../store/events.js';
import { insertChannel, newChannelId, toChannel } from '../../store/notification-channels.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';
import { assertChannelDestination } from './channel-destination.js';
import { sealChannelSecrets } from '../secrets/index.js';

export interface ChannelInput {
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  enabled?: boolean | undefined;
  events?: string[] | null | undefined;
  allEvents?: boolean | undefined;
}

export const assertCanConfigureChannels = (actor: Actor) => {
  authorize(actor, 'channel', 'manage', {}, 'only admins can configure notification channels');
};

/** What a channel event records: its settings without secrets (a secret URL by its host and path only). */
export const channelEventData = (c: NotificationChannel) => ({
  name: c.name,
  type: c.type,
  config: c.config,
  secretsSet: c.secretsSet,
  enabled: c.enabled,
  events: c.events,
  allEvents: c.allEvents,
});

/**
 * Adds a channel (admins). A channel streaming every audit event starts after the last event committed before
 * it, its own `notification_channel.created` being the first it receives.
 */
export async function createNotificationChannel(
  deps: OpsDeps,
  actor: Actor,
  input: ChannelInput,
): Promise<NotificationChannel> {
  assertCanConfigureChannels(actor);
  const settings = channelSettings(input);
  assertChannelDestination(deps, settings.type, settings.config);
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const id = newChannelId();
    const { shown, secrets } = splitChannelConfig(settings.type, { ...settings.config });
    const sealedSecrets = sealChannelSecrets(deps.keys, id, secrets);
    const row = await insertChannel(trx, id, { ...settings, config: shown, sealedSecrets }, now);
    if (settings.allEvents) await startCursor(trx, row.id, Number((await readAuditHead(trx)).seq), now);
    const channel = toChannel(row);
    return {
      result: channel,
      events: [
        {
          type: 'notification_channel.created',
          actorId: actor.id,
          subjects: [{ type: 'notification_channel', id: channel.id }],
          data: channelEventData(channel),
        },
      ],
    };
  });
}
