import { useState } from 'react';
import { triedOrder } from '../../../src/domain/request-config-order';
import { api, ok } from '../api/client';
import type { CatalogEntry, RequestConfiguration, RequestTerms } from '../api/types';
import { Contents } from '../components/Contents';
import { Countdown } from '../components/Countdown';
import { ErrorNote, Loading } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { useDirectory, type Directory } from '../lib/directory';
import { Link } from '../lib/router';
import { formatMinutes } from '../lib/time';
import { useLoad } from '../lib/use-load';
import { BreakGlassDialog } from './BreakGlassDialog';
import { RequestDialog } from './RequestDialog';

// One group or resource as the catalog shows it to anyone signed in: what it is, who owns it, how to get access
// (requests, break-glass, on-call), what it gives access to, and who has it for those who may see that.

type Kind = 'group' | 'resource';

function howToAsk(configs: RequestConfiguration[], dir: Directory): string[] {
  // In the order tried: conditional entries by priority, the default last; the first that applies counts.
  return triedOrder(configs).map((c) => {
    const who = c.condition
      ? `Members of ${c.condition.groupIds.map(dir.groupName).join(' or ')}`
      : configs.length > 1
        ? 'Everyone else'
        : 'Anyone';
    if (!c.requestable) return `${who}: cannot request it.`;
    const max = c.maxDurationMinutes ? ` for up to ${formatMinutes(c.maxDurationMinutes)}` : '';
    const reason = c.requireReason ? ', with a reason' : '';
    if (c.autoApprove) return `${who}: get it at once on request${max}${reason}.`;
    const stages = c.reviewerStages.length;
    return `${who}: request it${max}${reason}; ${stages === 1 ? 'one review decides' : `${stages} reviews in turn decide`}.`;
  });
}

export function ItemPage({ kind, id }: { kind: Kind; id: string }) {
  const dir = useDirectory();
  const [open, setOpen] = useState<'request' | 'breakGlass'>();
  const data = useLoad(async () => {
    const path = { params: { path: { id } } };
    const item =
      kind === 'group'
        ? await ok(api.GET('/api/v1/groups/{id}', path))
        : await ok(api.GET('/api/v1/resources/{id}', path));
    const [configs, breakGlass, catalog] = await Promise.all([
      kind === 'group'
        ? ok(api.GET('/api/v1/groups/{id}/request-configurations', path))
        : ok(api.GET('/api/v1/resources/{id}/request-configurations', path)),
      kind === 'group' ? ok(api.GET('/api/v1/groups/{id}/break-glass', path)) : Promise.resolve(null),
      ok(api.GET('/api/v1/catalog', { params: { query: { query: item.name, limit: 50 } } })),
    ]);
    const entry: CatalogEntry | undefined = catalog.items.find((e) => e.id === id);
    const members =
      item.abilities.readAccess && kind === 'group'
        ? (
            await ok(
              api.GET('/api/v1/groups/{id}/members', { params: { path: { id }, query: { limit: 500 } } }),
            )
          ).items
        : item.abilities.readAccess
          ? (
              await ok(
                api.GET('/api/v1/resources/{id}/members', {
                  params: { path: { id }, query: { limit: 500 } },
                }),
              )
            ).items
          : null;
    return { item, configs, breakGlass, entry, members };
  }, [kind, id]);

  const d = data.data;
  const terms: RequestTerms | null | undefined = d?.entry?.requestTerms;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/catalog">Catalog</Link>
      </p>
      {data.loading && !d && <Loading />}
      <ErrorNote error={data.error} />
      {d && (
        <>
          <PageHeader
            title={d.item.name}
            intro={d.item.description || (kind === 'group' ? 'A group.' : 'A resource.')}
            actions={
              d.item.abilities.update ? (
                <Link to={`/inventory/${kind === 'group' ? 'groups' : 'resources'}/${id}`}>Manage</Link>
              ) : undefined
            }
          />
          <dl className="facts">
            <dt>Your access</dt>
            <dd>
              {d.entry?.hasAccess ? (
                <>
                  <span className="badge badge-ok">Access</span>{' '}
                  <Countdown expiresAt={d.entry.accessExpiresAt} />
                </>
              ) : (
                <span className="muted">No access</span>
              )}
            </dd>
            <dt>Owners</dt>
            <dd>
              {[
                ...d.item.ownerUserIds.map(dir.userName),
                ...(d.item.ownerGroupId ? [`members of ${dir.groupName(d.item.ownerGroupId)}`] : []),
              ].join(', ') || <span className="muted">admins only</span>}
            </dd>
          </dl>
          <section aria-labelledby="how-heading">
            <h2 id="how-heading">How to get access</h2>
            <ul className="plain">
              {howToAsk(d.configs, dir).map((line) => (
                <li key={line}>{line}</li>
              ))}
              {d.configs.length === 0 && (
                <li>Nobody can request it; an owner or an admin gives access directly.</li>
              )}
              {d.breakGlass && (d.breakGlass.userIds.length > 0 || d.breakGlass.groupIds.length > 0) && (
                <li>
                  In an emergency,{' '}
                  {[
                    ...d.breakGlass.userIds.map(dir.userName),
                    ...d.breakGlass.groupIds.map((g) => `members of ${dir.groupName(g)}`),
                  ].join(', ')}{' '}
                  can break the glass for {formatMinutes(d.breakGlass.durationMinutes)}.
                </li>
              )}
            </ul>
            <div className="row-actions">
              {d.entry?.actions.request && terms && (
                <button type="button" onClick={() => setOpen('request')}>
                  Request
                </button>
              )}
              {d.entry?.actions.breakGlass && (
                <button type="button" className="button-danger" onClick={() => setOpen('breakGlass')}>
                  {d.entry.breakGlassActivation ? 'Activate again…' : 'Break Glass'}
                </button>
              )}
            </div>
          </section>
          {kind === 'group' && (
            <section aria-labelledby="contents-heading">
              <h2 id="contents-heading" className="visually-hidden">
                Contents
              </h2>
              <Contents groupId={id} headingLevel="h3" />
            </section>
          )}
          {d.members && (
            <section aria-labelledby="who-heading">
              <h2 id="who-heading">Who has it ({d.members.length})</h2>
              <ul className="plain">
                {d.members.map((m, i) => (
                  <li key={`${m.userId}-${i}`}>
                    {dir.userName(m.userId)}
                    {'accessLevel' in m && m.accessLevel ? ` (${String(m.accessLevel)})` : ''}{' '}
                    <Countdown expiresAt={m.expiresAt} />
                  </li>
                ))}
              </ul>
            </section>
          )}
          {open === 'request' && d.entry && terms && (
            <RequestDialog
              entry={{ ...d.entry, requestTerms: terms }}
              onClose={() => {
                setOpen(undefined);
                data.reload();
              }}
            />
          )}
          {open === 'breakGlass' && d.entry && (
            <BreakGlassDialog
              entry={d.entry}
              onClose={() => {
                setOpen(undefined);
                data.reload();
              }}
            />
          )}
        </>
      )}
    </>
  );
}
