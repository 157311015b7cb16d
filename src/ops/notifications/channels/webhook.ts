import type { WebhookConfig } from '../../../domain/notification-channels.js';
import { signatureHeader } from '../../../domain/webhook-signature.js';
import type { OutboundPolicy } from '../../shared/outbound/policy.js';
import { postJson } from './http-post.js';

// Generic webhooks: the JSON body, signed with every configured secret (see src/domain/webhook-signature.ts),
// the event type, and a delivery id that stays the same across retries, so a receiver can drop duplicates.

export interface WebhookDelivery {
  /** The notice or audit event id; the same on every retry. */
  id: string;
  type: string;
  body: string;
}

export function webhookHeaders(config: WebhookConfig, d: WebhookDelivery, unixSeconds: number) {
  return {
    'X-Latch-Signature': signatureHeader(d.body, config.secrets, unixSeconds),
    'X-Latch-Event': d.type,
    'X-Latch-Delivery': d.id,
  };
}

export async function postWebhook(
  config: WebhookConfig,
  d: WebhookDelivery,
  timeoutMs: number,
  outbound: OutboundPolicy,
): Promise<void> {
  const headers = webhookHeaders(config, d, Math.floor(Date.now() / 1000));
  await postJson(config.url, d.body, headers, timeoutMs, outbound);
}
