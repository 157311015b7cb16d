import { api, ok } from '../../api/client';
import { ErrorNote, Loading } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { formatDateTime } from '../../lib/time';
import { useLoad } from '../../lib/use-load';

// Who is on call over the next two weeks: a bar per shift across the fortnight (for the eye), and the same
// shifts as a list (for everyone, screen readers included). Gaps are said, not hidden.

const DAY = 86_400_000;
const SPAN_DAYS = 14;

interface Segment {
  userId: string | null;
  start: number;
  end: number;
}

export function ScheduleTimeline({ scheduleId, name }: { scheduleId: string; name: string }) {
  const dir = useDirectory();
  const from = Math.floor(Date.now() / 60_000) * 60_000;
  const until = from + SPAN_DAYS * DAY;
  const shifts = useLoad(
    () =>
      ok(
        api.GET('/api/v1/on-call-schedules/{id}/shifts', {
          params: {
            path: { id: scheduleId },
            query: { from: new Date(from).toISOString(), until: new Date(until).toISOString() },
          },
        }),
      ),
    [scheduleId],
  );
  if (shifts.loading && !shifts.data) return <Loading what="Reading the next two weeks" />;
  if (shifts.error) return <ErrorNote error={shifts.error} />;
  const data = shifts.data!;
  if (!data.known)
    return (
      <p className="muted small">
        Who is on call over the next two weeks is not known: {name} has not synced.
      </p>
    );
  const knownFrom = Date.parse(data.known.from);
  const knownUntil = Date.parse(data.known.until);
  // Shifts in order, with the gaps between them as "nobody".
  const segments: Segment[] = [];
  let at = knownFrom;
  for (const s of [...data.items].sort((a, b) => a.start.localeCompare(b.start))) {
    const start = Math.max(Date.parse(s.start), knownFrom);
    const end = Math.min(Date.parse(s.end), knownUntil);
    if (start > at) segments.push({ userId: null, start: at, end: start });
    segments.push({ userId: s.userId, start, end });
    at = Math.max(at, end);
  }
  if (at < knownUntil) segments.push({ userId: null, start: at, end: knownUntil });
  const people = [...new Set(segments.flatMap((s) => (s.userId ? [s.userId] : [])))];
  const width = (s: Segment) => `${(((s.end - s.start) / (until - from)) * 100).toFixed(3)}%`;
  return (
    <div className="timeline">
      <div className="timeline-bar" aria-hidden="true">
        {segments.map((s, i) => (
          <span
            key={i}
            className={`timeline-segment ${s.userId ? `timeline-person-${people.indexOf(s.userId) % 6}` : 'timeline-gap'}`}
            style={{ width: width(s) }}
            title={`${s.userId ? dir.userName(s.userId) : 'Nobody'}: ${formatDateTime(new Date(s.start).toISOString())} – ${formatDateTime(new Date(s.end).toISOString())}`}
          />
        ))}
      </div>
      <ol className="plain timeline-list" aria-label={`Who is on call on ${name} over the next two weeks`}>
        {segments.map((s, i) => (
          <li key={i}>
            <strong>{s.userId ? dir.userName(s.userId) : 'Nobody'}</strong>{' '}
            <span className="muted small">
              {formatDateTime(new Date(s.start).toISOString())} –{' '}
              {formatDateTime(new Date(s.end).toISOString())}
            </span>
          </li>
        ))}
      </ol>
      {knownUntil < until && (
        <p className="muted small">Beyond {formatDateTime(data.known.until)} it is not known yet.</p>
      )}
    </div>
  );
}
