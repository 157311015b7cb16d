import { api, ok } from '../../api/client';
import { EventList } from '../../components/EventList';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { Link } from '../../lib/router';
import { useLoad } from '../../lib/use-load';

// The audit trail of one item, newest first: every event that names it as a subject.

export function EventsTab({ subjectId }: { subjectId: string }) {
  const data = useLoad(
    () => ok(api.GET('/api/v1/events', { params: { query: { subjectId, order: 'desc', limit: 200 } } })),
    [subjectId],
  );
  return (
    <section aria-labelledby="events-heading">
      <h2 id="events-heading">Audit events</h2>
      <ErrorNote error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && data.data.items.length === 0 && <Empty>No events yet.</Empty>}
      {data.data && data.data.items.length > 0 && <EventList events={data.data.items} />}
      <p className="small">
        <Link to={`/audit?subjectId=${encodeURIComponent(subjectId)}`}>Open in the audit log</Link>
      </p>
    </section>
  );
}
