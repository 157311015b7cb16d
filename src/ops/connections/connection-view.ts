import type { Connection } from '../../domain/connections/connection.js';
import { can } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';

// A connection as the API shows it: never its secrets (they are not in it), and a target's own words about a
// failure for admins only; others learn that it failed.

export const connectionView = (actor: Actor, c: Connection): Connection => ({
  ...c,
  lastError:
    c.lastError === null || can(actor, 'connection', 'readTargetErrors', {})
      ? c.lastError
      : 'the last sync failed',
});

/** What a connection's events record: its settings without secrets. */
export const connectionEventData = (c: Connection) => ({
  name: c.name,
  kind: c.kind,
  config: c.config,
  mode: c.mode,
  syncMinutes: c.syncMinutes,
  accountRule: c.accountRule,
});

export const ADMINS_ONLY = 'only admins can configure connected systems';
