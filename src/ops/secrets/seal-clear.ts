import { channelSecretTexts, holdsClearSecrets, splitChannelConfig } from '../../domain/channel-secrets.js';
import type { ChannelType } from '../../domain/notification-channels.js';
import { redactTexts } from '../../domain/secret-urls.js';
import type { Keys } from '../../keys/load-keys.js';
import { isSecretOpenError } from '../../keys/secret-box.js';
import {
  channelsWithClearSecrets,
  redactChannelErrors,
  schedulesWithClearSecrets,
  setChannelSecrets,
  setScheduleSecret,
} from '../../store/sealed-secrets.js';
import { openChannelSecrets, sealChannelSecrets } from './channel-secrets.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { sealScheduleSecret } from './schedule-secrets.js';
import { runInTransaction } from '../shared/transaction.js';
import type { NewEvent } from '../../store/events.js';

// Secrets written before they were sealed are sealed at start-up, before anything is served or sent: a migration
// cannot do it, as the key is not in the database. One transaction per table, each with an event saying how many
// rows were sealed (never what). Idempotent: a second start, or another replica starting at once, finds none left.

type K = Pick<Keys, 'secret'>;

export interface SealedCounts {
  notificationChannels: number;
  onCallSchedules: number;
}

export async function sealClearSecrets(deps: OpsDeps): Promise<SealedCounts> {
  const notificationChannels = await runInTransaction(deps, async (trx) => {
    const ids = await sealClearChannels(trx, deps.keys);
    return { result: ids.length, events: sealedEvent('notification_channels', 'notification_channel', ids) };
  });
  const onCallSchedules = await runInTransaction(deps, async (trx) => {
    const ids = await sealClearSchedules(trx, deps.keys);
    return { result: ids.length, events: sealedEvent('on_call_schedules', 'on_call_schedule', ids) };
  });
  return { notificationChannels, onCallSchedules };
}

/**
 * Seals, in the caller's transaction, channel secrets still in clear, and blanks them out of the delivery errors
 * recorded while they were; returns the ids of the rows sealed.
 */
export async function sealClearChannels(trx: Tx, keys: K): Promise<string[]> {
  const ids: string[] = [];
  for (const row of await channelsWithClearSecrets(trx)) {
    const type = row.type as ChannelType;
    if (!holdsClearSecrets(type, row.config)) continue;
    const { shown, secrets } = splitChannelConfig(type, { ...sealedPart(keys, row), ...row.config });
    await setChannelSecrets(trx, row.id, shown, sealChannelSecrets(keys, row.id, secrets));
    const texts = channelSecretTexts(secrets);
    await redactChannelErrors(trx, row.id, (error) => redactTexts(error, texts));
    ids.push(row.id);
  }
  return ids;
}

/** Seals, in the caller's transaction, schedule credentials still in clear; returns the ids of the rows sealed. */
export async function sealClearSchedules(trx: Tx, keys: K): Promise<string[]> {
  const ids: string[] = [];
  for (const row of await schedulesWithClearSecrets(trx)) {
    await setScheduleSecret(trx, row.id, sealScheduleSecret(keys, row.id, row.secret)!);
    ids.push(row.id);
  }
  return ids;
}

/** Secrets a row already has sealed; the ones in clear, written later, win over them. */
function sealedPart(keys: K, row: Parameters<typeof openChannelSecrets>[1]) {
  try {
    return openChannelSecrets(keys, row) ?? {};
  } catch (err) {
    if (isSecretOpenError(err)) return {};
    throw err;
  }
}

const sealedEvent = (table: string, subjectType: string, ids: string[]): NewEvent[] =>
  ids.length === 0
    ? []
    : [
        {
          type: 'secrets.sealed',
          actorId: null,
          subjects: ids.map((id) => ({ type: subjectType, id })),
          data: { table, count: ids.length },
        },
      ];
