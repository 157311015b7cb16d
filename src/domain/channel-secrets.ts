import { SECRET_FIELDS, type ChannelType } from './notification-channels.js';
import { urlHost, urlPath, urlSecretParts } from './secret-urls.js';

// A channel's configuration is stored in two parts: what may be shown (in clear, with where a secret URL points,
// for people to recognise it) and its secret fields (sealed). Pure: sealing is the caller's.

/** Shown in place of a secret URL: its host, and for a webhook its path without the query. */
const DISPLAY_FIELDS: Record<ChannelType, readonly string[]> = {
  email: [],
  slack: ['webhookUrlHost'],
  webhook: ['urlHost', 'urlPath'],
};

export interface SplitChannelConfig {
  shown: Record<string, unknown>;
  /** The secret fields that are set; null when there are none (an e-mail channel without a password). */
  secrets: Record<string, unknown> | null;
}

/** Splits a checked configuration into the part stored in clear and the part to seal. */
export function splitChannelConfig(type: ChannelType, config: Record<string, unknown>): SplitChannelConfig {
  const secretFields = new Set(SECRET_FIELDS[type]);
  const shown: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    if (secretFields.has(k)) secrets[k] = v;
    else if (!DISPLAY_FIELDS[type].includes(k)) shown[k] = v;
  }
  if (type === 'slack' && typeof secrets.webhookUrl === 'string')
    shown.webhookUrlHost = urlHost(secrets.webhookUrl);
  if (type === 'webhook' && typeof secrets.url === 'string') {
    shown.urlHost = urlHost(secrets.url);
    shown.urlPath = urlPath(secrets.url);
  }
  return { shown, secrets: Object.keys(secrets).length > 0 ? secrets : null };
}

/** The whole configuration a sender needs: the shown part without its display fields, and the opened secrets. */
export function joinChannelConfig(
  type: ChannelType,
  shown: Record<string, unknown>,
  secrets: Record<string, unknown> | null,
): Record<string, unknown> {
  const rest = Object.fromEntries(Object.entries(shown).filter(([k]) => !DISPLAY_FIELDS[type].includes(k)));
  return { ...rest, ...(secrets ?? {}) };
}

/** True when a stored configuration still holds a secret in clear (written before secrets were sealed). */
export const holdsClearSecrets = (type: ChannelType, stored: Record<string, unknown>) =>
  SECRET_FIELDS[type].some((k) => stored[k] !== undefined);

/** Which secret fields differ between two sets of secrets: recorded as changed, never with their values. */
export const changedSecretFields = (
  type: ChannelType,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) => SECRET_FIELDS[type].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]));

/** Every text that gives a channel's secrets away, for keeping them out of error messages. */
export function channelSecretTexts(secrets: Record<string, unknown> | null): string[] {
  const out: string[] = [];
  for (const value of Object.values(secrets ?? {}))
    for (const text of Array.isArray(value) ? value : [value])
      if (typeof text === 'string' && text) out.push(text, ...urlSecretParts(text));
  return out;
}
