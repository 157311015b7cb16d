import type { Connection } from '../../api/types';
import {
  accountRuleText,
  kindLabel,
  modeExplained,
  modeLabel,
  statusLabel,
  whereText,
} from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { formatDateTime, formatMinutes, formatRelative } from '../../lib/time';
import { useNow } from '../../lib/use-load';

// A connection at a glance: its health in words, what it is and where, how strictly it is kept in step, and
// how it last went. The system's own words about a failure are for admins; the API tells others only that it
// failed.

export function HealthBadge({ connection }: { connection: Connection }) {
  const tone =
    connection.status === 'ok' ? 'badge-ok' : connection.status === 'error' ? 'badge-bad' : 'badge-warn';
  return <span className={`badge ${tone}`}>{statusLabel[connection.status]}</span>;
}

export function ConnectionFacts({ connection: c }: { connection: Connection }) {
  const now = useNow(30_000);
  const showsErrors = useDirectory().me.abilities.manageConnections;
  return (
    <>
      <dl className="facts">
        <dt>System</dt>
        <dd>
          {kindLabel[c.kind]} at <code>{whereText(c)}</code>
        </dd>
        <dt>Mode</dt>
        <dd>
          {modeLabel[c.mode]} <span className="muted small">{modeExplained[c.mode]}</span>
        </dd>
        <dt>Accounts</dt>
        <dd>{accountRuleText(c.accountRule)}</dd>
        <dt>Last good sync</dt>
        <dd>
          {c.lastSyncAt ? (
            <time dateTime={c.lastSyncAt} title={formatDateTime(c.lastSyncAt)}>
              {formatRelative(c.lastSyncAt, now)}
            </time>
          ) : (
            'not yet'
          )}
          <span className="muted small"> · every {formatMinutes(c.syncMinutes)}</span>
        </dd>
      </dl>
      {c.status === 'error' && (
        <p className="small field-error">
          {showsErrors && c.lastError ? `The last sync failed: ${c.lastError}` : 'The last sync failed.'}
        </p>
      )}
    </>
  );
}
