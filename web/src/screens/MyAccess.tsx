import { useState } from 'react';
import { api, ok } from '../api/client';
import type { AccessPath, CatalogEntry, RequestTerms } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Empty, ErrorNote, Loading } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { sourceLabel } from '../lib/access';
import { useDirectory } from '../lib/directory';
import { Link } from '../lib/router';
import { formatDateTime } from '../lib/time';
import { useLoad } from '../lib/use-load';
import { AccessCard, type AccessItem, type GrantAction } from './AccessCard';
import { RequestDialog } from './RequestDialog';

// Everything I can access now, how I got it, and the buttons to give it up or ask for more time. Grants
// that start later are listed below.

type Pending = { action: GrantAction; path: AccessPath; item: AccessItem };

export function MyAccess() {
  const dir = useDirectory();
  const me = dir.me.id;
  const data = useLoad(async () => {
    const [access, scheduled, activations, catalog] = await Promise.all([
      ok(api.GET('/api/v1/users/{id}/access', { params: { path: { id: me } } })),
      ok(api.GET('/api/v1/grants', { params: { query: { userId: me, status: 'scheduled', limit: 200 } } })),
      ok(
        api.GET('/api/v1/break-glass/activations', {
          params: { query: { userId: me, active: true, limit: 200 } },
        }),
      ),
      ok(api.GET('/api/v1/catalog', { params: { query: { limit: 500 } } })).catch(() => ({
        items: [] as CatalogEntry[],
      })),
    ]);
    return {
      access: access.items as AccessItem[],
      scheduled: scheduled.items,
      activations: activations.items,
      catalog: catalog.items,
    };
  }, [me]);
  const [pending, setPending] = useState<Pending>();

  const catalogFor = (item: AccessItem) =>
    data.data?.catalog.find((c) => c.id === (item.groupId ?? item.resourceId));

  function done(changed: boolean) {
    setPending(undefined);
    if (changed) {
      data.reload();
      dir.reload();
    }
  }

  function dialog(p: Pending) {
    const name = dir.itemName(p.item);
    if (p.action === 'give-up')
      return (
        <ConfirmDialog
          title={`Give up access to ${name}?`}
          confirm="Give up access"
          danger
          onConfirm={() =>
            ok(
              api.DELETE('/api/v1/grants/{id}', {
                params: { path: { id: p.path.grantId } },
                body: { reason: 'given up by the holder' },
              }),
            )
          }
          onClose={done}
        >
          <p>This grant ends now. Access you have in other ways stays.</p>
        </ConfirmDialog>
      );
    if (p.action === 'end-break-glass') {
      const activation = data.data?.activations.find((a) => a.grantId === p.path.grantId);
      return (
        <ConfirmDialog
          title={`End break-glass access to ${name}?`}
          confirm="End access now"
          danger
          onConfirm={() =>
            activation
              ? ok(
                  api.POST('/api/v1/break-glass/activations/{id}/end', {
                    params: { path: { id: activation.id } },
                    body: {},
                  }),
                )
              : ok(api.DELETE('/api/v1/grants/{id}', { params: { path: { id: p.path.grantId } }, body: {} }))
          }
          onClose={done}
        >
          <p>Your emergency access ends now. The activation stays in the audit log for review.</p>
        </ConfirmDialog>
      );
    }
    const entry = catalogFor(p.item);
    if (!entry?.requestTerms) return null;
    return (
      <RequestDialog
        entry={{ ...entry, requestTerms: entry.requestTerms as RequestTerms }}
        level={p.item.accessLevel ?? undefined}
        extendGrantId={p.action === 'extend' ? p.path.grantId : undefined}
        onClose={done}
      />
    );
  }

  const items = data.data?.access ?? [];
  return (
    <>
      <PageHeader title="My access" intro="What you can reach now, until when, and how you got it." />
      <ErrorNote error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && items.length === 0 && (
        <Empty>
          You have no access right now. Find what you need in the <Link to="/catalog">catalog</Link>.
        </Empty>
      )}
      {items.length > 0 && (
        <ul className="card-list">
          {items.map((item) => (
            <AccessCard
              key={`${item.groupId ?? item.resourceId}-${item.accessLevel ?? ''}`}
              item={item}
              catalog={catalogFor(item)}
              onAction={(action, path) => setPending({ action, path, item })}
            />
          ))}
        </ul>
      )}
      {data.data && data.data.scheduled.length > 0 && (
        <section aria-labelledby="scheduled-heading">
          <h2 id="scheduled-heading">Starting later</h2>
          <ul className="card-list">
            {data.data.scheduled.map((g) => (
              <li key={g.id} className="card">
                <div className="card-head">
                  <h3>{dir.itemName(g)}</h3>
                  <span className={`badge badge-${g.source}`}>{sourceLabel[g.source]}</span>
                </div>
                <p className="small">
                  Starts {formatDateTime(g.startsAt)}
                  {g.expiresAt ? `, ends ${formatDateTime(g.expiresAt)}` : ', no end date'}
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
      {pending && dialog(pending)}
    </>
  );
}
