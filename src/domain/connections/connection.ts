import { invalid } from '../errors.js';
import type { AccountRule } from './account-rule.js';
import type { ProvisioningStatus } from './provisioning-plan.js';

// A connection to a real system (api-v1 "Connected systems"): what it is, how it maps accounts, and whether
// drift is only reported or reverted. Its kind's own settings are checked by that kind's connector.

export const CONNECTION_KINDS = ['postgres', 'ldap', 'scim'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];
export const CONNECTION_MODES = ['report', 'enforce'] as const;
export type ConnectionMode = (typeof CONNECTION_MODES)[number];
export type ConnectionStatus = 'pending' | 'ok' | 'error';

export const DEFAULT_SYNC_MINUTES = 60;
export const MAX_SYNC_MINUTES = 10_080;
export const MAX_CONNECTION_NAME = 200;

export interface Connection {
  id: string;
  name: string;
  kind: ConnectionKind;
  config: Record<string, unknown>;
  mode: ConnectionMode;
  syncMinutes: number;
  accountRule: AccountRule;
  status: ConnectionStatus;
  lastSyncAt: string | null;
  lastError: string | null;
  createdAt: string;
}

/** A Latch group or resource linked to a remote item. */
export interface RemoteLink {
  connectionId: string;
  remoteId: string;
  remoteName: string;
  /** Resources only: the access level whose holders are the remote item's members. */
  accessLevel?: string;
}

export interface Propagation {
  status: ProvisioningStatus | 'not_linked';
  at: string | null;
  detail: string | null;
}

export const NOT_LINKED: Propagation = { status: 'not_linked', at: null, detail: null };

export function parseConnectionName(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid('name', 'is required');
  const name = raw.trim();
  if (name.length > MAX_CONNECTION_NAME)
    throw invalid('name', `must be at most ${MAX_CONNECTION_NAME} characters`);
  return name;
}

export function parseKind(raw: unknown): ConnectionKind {
  if (!(CONNECTION_KINDS as readonly unknown[]).includes(raw))
    throw invalid('kind', `must be one of ${CONNECTION_KINDS.join(', ')}`);
  return raw as ConnectionKind;
}

export function parseMode(raw: unknown): ConnectionMode {
  if (!(CONNECTION_MODES as readonly unknown[]).includes(raw))
    throw invalid('mode', `must be one of ${CONNECTION_MODES.join(', ')}`);
  return raw as ConnectionMode;
}

export function parseSyncMinutes(raw: unknown): number {
  if (raw === undefined || raw === null) return DEFAULT_SYNC_MINUTES;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_SYNC_MINUTES)
    throw invalid('syncMinutes', `must be a whole number of minutes from 1 to ${MAX_SYNC_MINUTES}`);
  return raw;
}
