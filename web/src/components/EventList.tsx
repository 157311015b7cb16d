import type { AuditEvent } from '../api/types';
import { useDirectory } from '../lib/directory';
import { actorName, describeEvent } from '../lib/event-sentences';
import { formatDateTime } from '../lib/time';

// Audit events as rows: when, a sentence with people and items by name, who, about what; the event's JSON and
// its hash behind a disclosure.

/** People and items by name; other subjects (a grant, a session, a token) by kind: their ids are in Details. */
function subjectName(dir: ReturnType<typeof useDirectory>, s: { type: string; id: string }) {
  if (s.type === 'group') return dir.groupName(s.id);
  if (s.type === 'resource') return dir.resourceName(s.id);
  if (s.type === 'user') return dir.userName(s.id);
  const kind = s.type.replace(/_/g, ' ');
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

const about = (dir: ReturnType<typeof useDirectory>, subjects: { type: string; id: string }[]) =>
  [...new Set(subjects.map((s) => subjectName(dir, s)))].join(', ');

export function EventList({ events }: { events: AuditEvent[] }) {
  const dir = useDirectory();
  return (
    <table className="data cards events">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          <th scope="col">By</th>
          <th scope="col">About</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} className={e.type.startsWith('break_glass.') ? 'row-highlight' : undefined}>
            <td className="when">
              <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>
              <div className="muted small">#{e.seq}</div>
            </td>
            <th scope="row">
              <span className="event-sentence">{describeEvent(e, dir)}</span>{' '}
              <code className="muted small">{e.type}</code>
              <details>
                <summary>Details</summary>
                <pre>{JSON.stringify(e.data, null, 2)}</pre>
                <p className="muted small">
                  Hash <code>{e.hash.slice(0, 16)}…</code>
                </p>
              </details>
            </th>
            <td data-label="By">{actorName(e.actorId, dir)}</td>
            <td data-label="About">{about(dir, e.subjects)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
