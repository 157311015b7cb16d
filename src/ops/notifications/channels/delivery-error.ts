import { channelSecretTexts, splitChannelConfig } from '../../../domain/channel-secrets.js';
import type { ChannelType } from '../../../domain/notification-channels.js';
import { errorText } from '../../../domain/notification-delivery.js';
import { redactTexts } from '../../../domain/secret-urls.js';

// A failed delivery's message is stored, shown to admins and logged: whatever a library or a receiver put in it
// (a URL with its credentials, an echoed token), the channel's secrets are blanked out before it goes anywhere.

export function deliveryErrorText(
  err: unknown,
  type: ChannelType,
  config: Record<string, unknown> | undefined,
): string {
  const message = err instanceof Error ? err.message : String(err);
  const secrets = config ? channelSecretTexts(splitChannelConfig(type, config).secrets) : [];
  // Redacted before errorText shortens it, so no secret is cut in two and half left.
  return errorText(redactTexts(message, secrets));
}
