import { invalid } from './errors.js';
import { isPlausibleEmail } from './users.js';

// Notification channels configured by admins: SMTP e-mail, Slack incoming webhooks and signed generic webhooks.
// Secrets (the SMTP password, the Slack URL, the webhook URL and its signing secrets) are stored sealed, opened
// only to send, and never shown.

export const CHANNEL_TYPES = ['email', 'slack', 'webhook'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface EmailConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  username?: string;
  password?: string;
  from: string;
  /** Where notices for a group go when a group picks this channel; people get theirs at their own address. */
  to?: string[];
}
export interface SlackConfig {
  webhookUrl: string;
}
export interface WebhookConfig {
  url: string;
  /** One secret, or two while rotating: every request is signed with each. */
  secrets: string[];
}
export type ChannelConfig = EmailConfig | SlackConfig | WebhookConfig;

export const SECRET_FIELDS: Record<ChannelType, readonly string[]> = {
  email: ['password'],
  slack: ['webhookUrl'],
  // The URL too: its user name, password or query often is the receiver's credential.
  webhook: ['url', 'secrets'],
};

/** A channel as the API shows it: the configuration without its secrets, and which secrets are set. */
export interface NotificationChannel {
  id: string;
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  secretsSet: string[];
  enabled: boolean;
  /** Notice kinds this channel carries; null: all of them. */
  events: string[] | null;
  /** Webhooks only: stream every audit event, in order, as it is committed. */
  allEvents: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A signing secret shorter than this is guessable. */
export const MIN_SECRET_LENGTH = 16;

const isHttpUrl = (v: unknown): v is string => {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Checks a whole configuration for its type (the route checked the shape); returns only the known fields. */
export function parseChannelConfig(type: ChannelType, raw: Record<string, unknown>): ChannelConfig {
  switch (type) {
    case 'email': {
      if (!nonEmpty(raw.host)) throw invalid('config.host', 'the SMTP server host is required');
      const port = raw.port ?? 587;
      if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)
        throw invalid('config.port', 'must be a port number');
      if (typeof raw.from !== 'string' || !isPlausibleEmail(raw.from))
        throw invalid('config.from', 'must be an e-mail address');
      const to = raw.to ?? [];
      if (!Array.isArray(to) || !to.every((a) => typeof a === 'string' && isPlausibleEmail(a)))
        throw invalid('config.to', 'must be a list of e-mail addresses');
      const cfg: EmailConfig = { host: raw.host.trim(), port: port as number, from: raw.from.trim() };
      if (typeof raw.secure === 'boolean') cfg.secure = raw.secure;
      if (nonEmpty(raw.username)) cfg.username = raw.username;
      if (nonEmpty(raw.password)) cfg.password = raw.password;
      if (to.length) cfg.to = (to as string[]).map((a) => a.trim());
      return cfg;
    }
    case 'slack':
      if (!isHttpUrl(raw.webhookUrl)) throw invalid('config.webhookUrl', 'must be an http(s) URL');
      return { webhookUrl: raw.webhookUrl };
    case 'webhook': {
      if (!isHttpUrl(raw.url)) throw invalid('config.url', 'must be an http(s) URL');
      const secrets = raw.secrets;
      const strong = (x: unknown) => typeof x === 'string' && x.length >= MIN_SECRET_LENGTH;
      if (!Array.isArray(secrets) || secrets.length < 1 || secrets.length > 2 || !secrets.every(strong))
        throw invalid(
          'config.secrets',
          `give one signing secret of at least ${MIN_SECRET_LENGTH} characters, or two while rotating`,
        );
      return { url: raw.url, secrets: secrets as string[] };
    }
  }
}

/** A change merges into the stored configuration: a secret left out of the change keeps its value. */
export const mergeConfig = (stored: Record<string, unknown>, change: Record<string, unknown> | undefined) =>
  Object.fromEntries(
    Object.entries({ ...stored, ...(change ?? {}) }).filter(([, v]) => v !== undefined && v !== null),
  );

export function publicConfig(type: ChannelType, config: Record<string, unknown>): Record<string, unknown> {
  const secret = new Set(SECRET_FIELDS[type]);
  return Object.fromEntries(Object.entries(config).filter(([k]) => !secret.has(k)));
}

/** Sealed secrets hold every secret field that is set (only an e-mail password is optional). */
export const secretsSet = (type: ChannelType, config: Record<string, unknown>, sealed: boolean) =>
  sealed ? [...SECRET_FIELDS[type]] : SECRET_FIELDS[type].filter((k) => config[k] !== undefined);

/** `['*']` and no list both mean every kind. */
export function normalizeEventFilter(events: string[] | null | undefined): string[] | null {
  if (!events || events.includes('*')) return null;
  return [...new Set(events.map((e) => e.trim()).filter(Boolean))].sort();
}

export function assertStreamable(type: ChannelType, allEvents: boolean) {
  if (allEvents && type !== 'webhook')
    throw invalid('allEvents', 'only webhook channels stream every audit event');
}

export const channelCarries = (c: { enabled: boolean; events: string[] | null }, kind: string) =>
  c.enabled && (c.events === null || c.events.includes(kind));

export interface ChannelSettings {
  name: string;
  type: ChannelType;
  config: ChannelConfig;
  enabled: boolean;
  events: string[] | null;
  allEvents: boolean;
}

/** A channel's settings checked as a whole, on creation and after every change. */
export function channelSettings(input: {
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  enabled?: boolean | undefined;
  events?: string[] | null | undefined;
  allEvents?: boolean | undefined;
}): ChannelSettings {
  const name = input.name.trim();
  if (!name) throw invalid('name', 'must not be blank');
  const allEvents = input.allEvents ?? false;
  assertStreamable(input.type, allEvents);
  return {
    name,
    type: input.type,
    config: parseChannelConfig(input.type, input.config),
    enabled: input.enabled ?? true,
    events: normalizeEventFilter(input.events),
    allEvents,
  };
}
