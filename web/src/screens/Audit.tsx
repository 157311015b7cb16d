import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import type { AuditEvent } from '../api/types';
import { EventList } from '../components/EventList';
import { Field } from '../components/Field';
import { Empty, ErrorNote, Loading } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { PersonField } from '../components/PersonField';
import { useDirectory } from '../lib/directory';
import { EVENT_TYPE_NAMES } from '../lib/event-sentences';
import { setQuery, useLocation } from '../lib/router';
import { localInputToIso } from '../lib/time';
import { useLoad } from '../lib/use-load';

// The audit log for incident review: a sentence per event, filtered by type, person, item and time, exported
// as CSV or JSON lines of the current filter, with the hash chain's verification on top.

/** The API wants RFC 3339; the URL keeps the local values the inputs show. */
function apiQuery(f: Record<string, string>) {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    const value = k === 'since' || k === 'until' ? localInputToIso(v) : v;
    if (value) q[k] = value;
  }
  return q;
}

function Verification() {
  const verify = useLoad(() => ok(api.GET('/api/v1/events/verify')), []);
  if (verify.loading) return <Loading what="Verifying the audit chain" />;
  if (verify.error instanceof ApiError && verify.error.status === 403)
    return <p className="notice notice-info">Only admins and auditors can verify the audit chain.</p>;
  if (verify.error) return <ErrorNote error={verify.error} context="Verification failed." />;
  const v = verify.data!;
  return v.ok ? (
    <div className="notice notice-success" role="status">
      <p>
        <strong>Audit chain verified.</strong> All {v.checked} events are intact and in order.
      </p>
    </div>
  ) : (
    <div className="notice notice-error" role="alert">
      <p>
        <strong>Audit chain broken</strong> at event #{v.firstBadSeq}: the log has been altered after it was
        written.
        {v.reason ? ` ${v.reason}` : ''}
      </p>
    </div>
  );
}

export function Audit() {
  const dir = useDirectory();
  const { query } = useLocation();
  const filters = {
    type: query.get('type') ?? '',
    userId: query.get('userId') ?? '',
    subjectId: query.get('subjectId') ?? '',
    since: query.get('since') ?? '',
    until: query.get('until') ?? '',
  };
  const [draft, setDraft] = useState(filters);
  const [more, setMore] = useState<{ items: AuditEvent[]; cursor: string | null }>();
  const key = JSON.stringify(filters);
  const events = useLoad(() => {
    setMore(undefined);
    return ok(
      api.GET('/api/v1/events', { params: { query: { ...apiQuery(filters), order: 'desc', limit: 100 } } }),
    );
  }, [key]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setQuery({
      ...draft,
      since: localInputToIso(draft.since) ? draft.since : '',
      until: localInputToIso(draft.until) ? draft.until : '',
    });
  }
  async function loadMore() {
    const cursor = more ? more.cursor : events.data?.nextCursor;
    if (!cursor) return;
    const page = await ok(
      api.GET('/api/v1/events', {
        params: { query: { ...apiQuery(filters), order: 'desc', cursor, limit: 100 } },
      }),
    );
    setMore({ items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor });
  }

  const exportHref = (format: 'csv' | 'jsonl') =>
    `/api/v1/events/export?${new URLSearchParams({ ...apiQuery(filters), format }).toString()}`;
  const all = [...(events.data?.items ?? []), ...(more?.items ?? [])];
  const hasMore = more ? more.cursor : events.data?.nextCursor;
  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [k]: e.target.value });
  const items = [...dir.groups.values(), ...dir.resources.values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );

  return (
    <>
      <PageHeader
        title="Audit log"
        intro={
          dir.me.abilities.readAuditLog
            ? 'Every change, newest first, in a hash chain that shows tampering.'
            : 'Changes about you and the items you own, newest first, in a hash chain that shows tampering.'
        }
      />
      {dir.me.abilities.verifyAuditLog ? (
        <Verification />
      ) : (
        <p className="notice notice-info">Only admins and auditors can verify the audit chain.</p>
      )}
      <form className="filters" onSubmit={apply} aria-label="Filter events">
        <Field label="Type">
          {(p) => (
            <select {...p} value={draft.type} onChange={set('type')}>
              <option value="">Any type</option>
              {[...EVENT_TYPE_NAMES].sort().map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Person" hint="What they did, and what is about them">
          {(p) => (
            <PersonField
              control={p}
              label="Person"
              value={draft.userId}
              clearLabel="Anyone"
              onChange={(userId) => setDraft({ ...draft, userId })}
            />
          )}
        </Field>
        <Field label="Item">
          {(p) => (
            <select {...p} value={draft.subjectId} onChange={set('subjectId')}>
              <option value="">Any item</option>
              {items.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
              {draft.subjectId && !items.some((i) => i.id === draft.subjectId) && (
                <option value={draft.subjectId}>{draft.subjectId}</option>
              )}
            </select>
          )}
        </Field>
        <Field label="From">
          {(p) => <input {...p} type="datetime-local" value={draft.since} onChange={set('since')} />}
        </Field>
        <Field label="To">
          {(p) => <input {...p} type="datetime-local" value={draft.until} onChange={set('until')} />}
        </Field>
        <div className="filter-actions">
          <button type="submit" className="button-primary">
            Apply filters
          </button>
        </div>
      </form>
      <p className="row-actions">
        <a className="button" href={exportHref('csv')} download>
          Export CSV
        </a>
        <a className="button" href={exportHref('jsonl')} download>
          Export JSON lines
        </a>
        <span className="muted small">Every event of the current filter, oldest first.</span>
      </p>
      <ErrorNote error={events.error} />
      {events.loading && !events.data && <Loading />}
      {events.data && all.length === 0 && <Empty>No events match.</Empty>}
      {all.length > 0 && <EventList events={all} />}
      {hasMore && (
        <button type="button" onClick={loadMore}>
          Load more events
        </button>
      )}
    </>
  );
}
