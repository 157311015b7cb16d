import { useEffect, useState } from 'react';
import { foundStatus, SearchBar } from '../components/SearchBar';
import { api, ok } from '../api/client';
import type { CatalogEntry, RequestTerms } from '../api/types';
import { Countdown } from '../components/Countdown';
import { Empty, ErrorNote, Loading } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { useDirectory } from '../lib/directory';
import { Link, setQuery, useLocation } from '../lib/router';
import { useDebounced, useLoad } from '../lib/use-load';
import { BreakGlassDialog } from './BreakGlassDialog';
import { RequestDialog } from './RequestDialog';

// The catalog: find a group or resource, see whether you have access and until when, and ask for it.
// Which buttons appear is the API's call (`actions`), not the UI's.

type Open =
  | { kind: 'request'; entry: CatalogEntry & { requestTerms: RequestTerms } }
  | { kind: 'breakGlass'; entry: CatalogEntry };

/** "Bob", "Bob or Carol", "Bob, Carol or Dan": whom a request waits for (any one of them may decide). */
function anyOf(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The caller's requests for the item that wait for a decision, each with whom it waits for and Cancel. */
function Waiting({
  entry,
  nameId,
  onChanged,
}: {
  entry: CatalogEntry;
  nameId: string;
  onChanged: () => void;
}) {
  const dir = useDirectory();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  async function cancel(requestId: string) {
    setBusy(true);
    setError(undefined);
    try {
      await ok(api.POST('/api/v1/requests/{id}/cancel', { params: { path: { id: requestId } }, body: {} }));
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="waiting">
      {entry.waiting.map((w) => (
        <p key={`${w.requestId}-${w.accessLevel ?? ''}`} className="waiting-line">
          <span className="badge badge-warn">Requested{w.accessLevel ? ` (${w.accessLevel})` : ''}</span>{' '}
          {w.reviewerIds.length
            ? `waiting for ${anyOf(w.reviewerIds.map((id) => dir.userName(id)))}`
            : 'waiting for a decision'}{' '}
          <button
            type="button"
            className="link-button"
            aria-describedby={nameId}
            disabled={busy}
            onClick={() => void cancel(w.requestId)}
          >
            Cancel request
          </button>
        </p>
      ))}
      <ErrorNote error={error} />
    </div>
  );
}

function AccessCell({ entry }: { entry: CatalogEntry }) {
  if (entry.type === 'resource' && entry.accessLevels?.some((l) => l.hasAccess))
    return (
      <ul className="plain">
        {entry.accessLevels
          .filter((l) => l.hasAccess)
          .map((l) => (
            <li key={l.accessLevel}>
              <span className="badge badge-ok">{l.accessLevel}</span>{' '}
              <Countdown expiresAt={l.accessExpiresAt} />
            </li>
          ))}
      </ul>
    );
  if (entry.breakGlassActivation)
    return (
      <span>
        <span className="badge badge-bad">Break-glass</span>{' '}
        <Countdown expiresAt={entry.breakGlassActivation.expiresAt} />
      </span>
    );
  if (!entry.hasAccess) return <span className="muted">No access</span>;
  return (
    <span>
      <span className="badge badge-ok">Access</span> <Countdown expiresAt={entry.accessExpiresAt} />
    </span>
  );
}

export function Catalog() {
  const { query } = useLocation();
  const [text, setText] = useState(query.get('q') ?? '');
  const search = useDebounced(text.trim(), 250);
  const [open, setOpen] = useState<Open>();
  const [endError, setEndError] = useState<unknown>();
  const list = useLoad(
    () => ok(api.GET('/api/v1/catalog', { params: { query: { query: search || undefined, limit: 200 } } })),
    [search],
  );
  // The search is part of the URL, so a link or a reload keeps it.
  useEffect(() => setQuery({ q: search || undefined }), [search]);

  function closed(changed: boolean) {
    setOpen(undefined);
    if (changed) list.reload();
  }

  async function endBreakGlass(activationId: string) {
    setEndError(undefined);
    try {
      await ok(
        api.POST('/api/v1/break-glass/activations/{id}/end', {
          params: { path: { id: activationId } },
          body: {},
        }),
      );
      list.reload();
    } catch (err) {
      setEndError(err);
    }
  }

  return (
    <>
      <PageHeader
        title="Catalog"
        intro="Every group and resource, your access to it, and what you can ask for."
      />
      <SearchBar
        label="Search groups and resources"
        placeholder="Search groups and resources"
        value={text}
        onChange={setText}
        status={foundStatus(list)}
      />
      <ErrorNote error={list.error} />
      <ErrorNote error={endError} context="Ending break-glass access failed." />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <Empty>Nothing matches “{search}”.</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table className="data cards">
          <caption className="visually-hidden">Catalog</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Your access</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((entry) => {
              const nameId = `catalog-${entry.id}`;
              const terms = entry.requestTerms;
              return (
                <tr key={entry.id}>
                  <th scope="row" data-label="Name">
                    <Link
                      id={nameId}
                      className="item-name"
                      to={`/catalog/${entry.type === 'group' ? 'groups' : 'resources'}/${entry.id}`}
                    >
                      {entry.name}
                    </Link>{' '}
                    <span className="badge">{entry.type}</span>
                    {entry.description && <div className="muted small">{entry.description}</div>}
                  </th>
                  <td data-label="Your access">
                    <AccessCell entry={entry} />
                  </td>
                  <td className="actions">
                    {entry.waiting.length > 0 && (
                      <Waiting entry={entry} nameId={nameId} onChanged={list.reload} />
                    )}
                    {entry.actions.request &&
                      terms &&
                      (entry.type === 'resource' || !entry.waiting.length) && (
                        <button
                          type="button"
                          aria-describedby={nameId}
                          onClick={() =>
                            setOpen({ kind: 'request', entry: { ...entry, requestTerms: terms } })
                          }
                        >
                          Request
                        </button>
                      )}
                    {entry.breakGlassActivation && (
                      <button
                        type="button"
                        className="button-danger-quiet"
                        aria-describedby={nameId}
                        onClick={() => void endBreakGlass(entry.breakGlassActivation!.id)}
                      >
                        End now
                      </button>
                    )}
                    {entry.actions.breakGlass && (
                      <button
                        type="button"
                        className={entry.breakGlassActivation ? undefined : 'button-danger'}
                        aria-describedby={nameId}
                        onClick={() => setOpen({ kind: 'breakGlass', entry })}
                      >
                        {entry.breakGlassActivation ? 'Activate again…' : 'Break Glass'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {list.data?.nextCursor && <p className="muted small">More items match: refine the search.</p>}
      {open?.kind === 'request' && <RequestDialog entry={open.entry} onClose={closed} />}
      {open?.kind === 'breakGlass' && <BreakGlassDialog entry={open.entry} onClose={closed} />}
    </>
  );
}
