import { AppError, notFound } from '../../domain/errors.js';
import { changedSecretFields, joinChannelConfig, splitChannelConfig } from '../../domain/channel-secrets.js';
import {
  channelSettings,
  mergeConfig,
  SECRET_FIELDS,
  type ChannelType,
  type NotificationChannel,
} from '../../domain/notification-channels.js';
import type { Actor } from '../../domain/users.js';
import { startCursor, stopCursor } from '../../store/event-stream-cursors.js';
import { readAuditHead } from '../../store/events.js';
import { findChannelRow, toChannel, updateChannelRow } from '../../store/notification-channels.js';
import { assertCanConfigureChannels, channelEventData } from './create-channel.js';
import type { OpsDeps } from '../shared/deps.js';
import { diffFields } from '../shared/diff-fields.js';
import { runInTransaction } from '../shared/transaction.js';
import { assertChannelDestination } from './channel-destination.js';
import { isSecretOpenError } from '../../keys/secret-box.js';
import type { ChannelRow } from '../../store/schema.js';
import { openChannelSecrets, sealChannelSecrets } from '../secrets/index.js';

export interface ChannelChange {
  name?: string | undefined;
  /** Merged into the stored configuration: a secret left out keeps its value; null removes a field. */
  config?: Record<string, unknown> | undefined;
  enabled?: boolean | undefined;
  events?: string[] | null | undefined;
  allEvents?: boolean | undefined;
}

/** Changes a channel (admins). Turning `allEvents` on starts its stream at the current end of the log. */
export async function updateNotificationChannel(
  deps: OpsDeps,
  actor: Actor,
  id: string,
  change: ChannelChange,
): Promise<NotificationChannel> {
  assertCanConfigureChannels(actor);
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const row = await findChannelRow(trx, id, true);
    if (!row) throw notFound('notification channel', id);
    const type = row.type as ChannelType;
    const stored = joinChannelConfig(type, row.config, storedSecrets(deps, row, change));
    const settings = channelSettings({
      name: change.name ?? row.name,
      type,
      config: mergeConfig(stored, change.config),
      enabled: change.enabled ?? row.enabled,
      events: change.events === undefined ? row.events : change.events,
      allEvents: change.allEvents ?? row.all_events,
    });
    assertChannelDestination(deps, type, settings.config, Object.keys(change.config ?? {}));
    const { shown, secrets } = splitChannelConfig(type, { ...settings.config });
    // Which secrets were replaced, never their values.
    const secretsChanged = changedSecretFields(type, splitChannelConfig(type, stored).secrets, secrets);
    const resealed = secretsChanged.length > 0 || (row.sealed_secrets === null && secrets !== null);
    const sealedSecrets = resealed ? sealChannelSecrets(deps.keys, id, secrets) : row.sealed_secrets;
    const updated = await updateChannelRow(trx, id, { ...settings, config: shown, sealedSecrets }, now);
    if (settings.allEvents && !row.all_events)
      await startCursor(trx, id, Number((await readAuditHead(trx)).seq), now);
    if (!settings.allEvents && row.all_events) await stopCursor(trx, id);

    const before = channelEventData(toChannel(row));
    const after = toChannel(updated);
    const changes = diffFields(before, channelEventData(after), [
      'name',
      'config',
      'secretsSet',
      'enabled',
      'events',
      'allEvents',
    ]);
    const changed = Object.keys(changes).length > 0 || secretsChanged.length > 0;
    return {
      result: after,
      events: changed
        ? [
            {
              type: 'notification_channel.updated',
              actorId: actor.id,
              subjects: [{ type: 'notification_channel', id }],
              data: { changes, secretsChanged },
            },
          ]
        : [],
    };
  });
}

/**
 * The stored secrets, opened to merge the change into. When they do not open (the secret key changed), a change
 * that gives every secret anew may still replace them; any other change is refused, saying why.
 */
function storedSecrets(
  deps: OpsDeps,
  row: ChannelRow,
  change: ChannelChange,
): Record<string, unknown> | null {
  try {
    return openChannelSecrets(deps.keys, row);
  } catch (err) {
    if (!isSecretOpenError(err)) throw err;
    const fields = SECRET_FIELDS[row.type as ChannelType];
    if (fields.every((k) => typeof change.config?.[k] === 'string' || Array.isArray(change.config?.[k])))
      return null;
    throw new AppError(
      'conflict',
      `the secrets of notification channel '${row.id}' cannot be opened (${err.message}); ` +
        `give ${fields.join(' and ')} again to replace them`,
    );
  }
}
