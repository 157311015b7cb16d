import type {
  ChannelType,
  EmailConfig,
  SlackConfig,
  WebhookConfig,
} from '../../../domain/notification-channels.js';
import type { DeliveryResult } from '../../../domain/notification-delivery.js';
import { renderNotice } from '../../../domain/notice-messages.js';
import type { OutboundPolicy } from '../../shared/outbound/policy.js';
import type { ChannelRow } from '../../../store/schema.js';
import { deliveryErrorText } from './delivery-error.js';
import { sendEmail } from './email.js';
import { postSlack } from './slack.js';
import { postWebhook } from './webhook.js';

// Sends one notice through one channel (its configuration with the secrets opened) and reports the result,
// naming no secret; never throws.

export interface Notice {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  createdAt: string;
  /** E-mail only: the addresses to send to (a person's, or the channel's own list for group notices). */
  to?: string[];
}

export async function sendNotice(
  channel: Pick<ChannelRow, 'type' | 'config'>,
  notice: Notice,
  timeoutMs: number,
  outbound: OutboundPolicy,
): Promise<DeliveryResult> {
  const message = renderNotice(notice.kind, notice.payload);
  try {
    switch (channel.type) {
      case 'email': {
        const to = notice.to ?? [];
        if (to.length === 0) return { ok: false, error: 'no e-mail address to send to', permanent: true };
        await sendEmail(channel.config as unknown as EmailConfig, to, message, {
          timeoutMs,
          outbound,
          messageId: notice.id,
        });
        break;
      }
      case 'slack':
        await postSlack(channel.config as unknown as SlackConfig, message, timeoutMs, outbound);
        break;
      case 'webhook': {
        const body = JSON.stringify({
          id: notice.id,
          type: notice.kind,
          createdAt: notice.createdAt,
          data: notice.payload,
        });
        await postWebhook(
          channel.config as unknown as WebhookConfig,
          { id: notice.id, type: notice.kind, body },
          timeoutMs,
          outbound,
        );
        break;
      }
      default:
        return { ok: false, error: `unknown channel type ${channel.type}`, permanent: true };
    }
    return { ok: true };
  } catch (err) {
    return { ok: false, error: deliveryErrorText(err, channel.type as ChannelType, channel.config) };
  }
}
