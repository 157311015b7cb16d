import type { FieldError } from '../errors.js';
import { urlHost } from '../secret-urls.js';
import type { OnCallProvider } from './shifts.js';

// On-call schedules as the API shows them, and how their provider settings split into what may be shown and
// the secret that must never be. Pure.

export const SYNC_STATUSES = ['pending', 'ok', 'error'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export interface Schedule {
  id: string;
  name: string;
  provider: OnCallProvider;
  /** The provider settings without their secret. */
  config: Record<string, unknown>;
  syncStatus: SyncStatus;
  /** Why the last fetch failed, in Latch's words: what failed, the HTTP status, the host. */
  syncError: string | null;
  /** What the provider itself said about it (its error body): for admins and auditors only. */
  syncErrorDetail: string | null;
  lastSyncedAt: string | null;
  lastAttemptAt: string | null;
  nextSyncAt: string;
  createdAt: string;
  updatedAt: string;
}

/** The config field that holds each provider's secret. A feed URL is one: PagerDuty's carry a private token. */
export const SECRET_FIELD: Record<OnCallProvider, string | null> = {
  builtin: null,
  ical: 'url',
  pagerduty: 'apiToken',
  opsgenie: 'apiKey',
};

/** Splits a config as given into what is stored for showing and the secret, if the provider has one. */
export function splitSecret(
  provider: OnCallProvider,
  config: Record<string, unknown>,
): { shown: Record<string, unknown>; secret: string | null } {
  const field = SECRET_FIELD[provider];
  if (!field) return { shown: { ...config }, secret: null };
  const { [field]: secret, ...shown } = config;
  if (provider === 'ical' && typeof secret === 'string') shown.urlHost = urlHost(secret);
  return { shown, secret: typeof secret === 'string' ? secret : null };
}

/** The config a provider client needs: the shown part with the secret put back. */
export function joinSecret(
  provider: OnCallProvider,
  shown: Record<string, unknown>,
  secret: string | null,
): Record<string, unknown> {
  const field = SECRET_FIELD[provider];
  const { urlHost: _urlHost, ...rest } = shown;
  return field && secret !== null ? { ...rest, [field]: secret } : rest;
}

const isText = (v: unknown, max = 2000) => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

function httpUrl(v: unknown): boolean {
  if (!isText(v)) return false;
  try {
    return ['http:', 'https:', 'webcal:'].includes(new URL(v as string).protocol);
  } catch {
    return false;
  }
}

/** Problems with a remote provider's config (builtin rotations are checked by validateBuiltinConfig). */
export function remoteConfigProblems(
  provider: OnCallProvider,
  config: Record<string, unknown>,
): FieldError[] {
  const problems: FieldError[] = [];
  const need = (field: string, ok: boolean, message: string) => {
    if (!ok) problems.push({ field: `config.${field}`, message });
  };
  const known: Record<string, string[]> = {
    ical: ['url', 'timezone'],
    pagerduty: ['scheduleId', 'apiToken', 'baseUrl'],
    opsgenie: ['scheduleId', 'apiKey', 'baseUrl'],
  };
  for (const key of Object.keys(config))
    if (!known[provider]?.includes(key)) need(key, false, `is not a setting of the ${provider} provider`);
  if (provider === 'ical') {
    need('url', httpUrl(config.url), 'must be an http(s) or webcal URL of an iCalendar feed');
    if (config.timezone !== undefined)
      need(
        'timezone',
        isText(config.timezone, 100) && isTimeZone(config.timezone as string),
        'unknown time zone',
      );
  } else {
    need('scheduleId', isText(config.scheduleId, 200), 'is required');
    const secret = SECRET_FIELD[provider]!;
    need(secret, isText(config[secret], 500), 'is required');
    if (config.baseUrl !== undefined) need('baseUrl', httpUrl(config.baseUrl), 'must be an http(s) URL');
  }
  return problems;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
