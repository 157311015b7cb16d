import { useState } from 'react';
import { triedOrder } from '../../../../src/domain/request-config-order';
import { api, ok } from '../../api/client';
import type { RequestConfiguration, ReviewerStage } from '../../api/types';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { formatMinutes } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { ConfigEditor } from './ConfigEditor';

// How an item is requested: an ordered list, the first entry whose condition the requester meets applies,
// the entry without condition is the default.

export type ItemKey = { kind: 'group' | 'resource'; id: string };

export function loadConfigurations(item: ItemKey) {
  const params = { params: { path: { id: item.id } } };
  return item.kind === 'group'
    ? ok(api.GET('/api/v1/groups/{id}/request-configurations', params))
    : ok(api.GET('/api/v1/resources/{id}/request-configurations', params));
}

export function stageText(stage: ReviewerStage, dir: ReturnType<typeof useDirectory>): string {
  const r = stage.reviewers;
  const who = [
    ...(r.owners ? ['the owners'] : []),
    ...(r.admins ? ['admins'] : []),
    ...r.userIds.map(dir.userName),
    ...r.groupIds.map((g) => `members of ${dir.groupName(g)}`),
  ];
  return `${stage.operator === 'all' ? 'all of' : 'any one of'} ${who.join(', ') || 'nobody'}`;
}

function Entry({ c, index }: { c: RequestConfiguration; index: number }) {
  const dir = useDirectory();
  return (
    <li className="card">
      <div className="card-head">
        <h3>
          {index + 1}.{' '}
          {c.condition
            ? `Members of ${c.condition.groupIds.map(dir.groupName).join(', ')}`
            : 'Default: everyone else'}
        </h3>
        <span className={`badge ${c.requestable ? 'badge-ok' : ''}`}>
          {c.requestable ? 'Requestable' : 'Not requestable'}
        </span>
      </div>
      <p className="muted small">Priority {c.priority}</p>
      {c.requestable && (
        <dl className="facts">
          <dt>Approval</dt>
          <dd>
            {c.autoApprove ? (
              'Automatic'
            ) : (
              <ol className="plain-numbered">
                {c.reviewerStages.map((s, i) => (
                  <li key={i}>
                    Stage {i + 1}: {stageText(s, dir)}
                  </li>
                ))}
              </ol>
            )}
          </dd>
          <dt>Longest</dt>
          <dd>{c.maxDurationMinutes ? formatMinutes(c.maxDurationMinutes) : 'No limit'}</dd>
          <dt>Recommended</dt>
          <dd>{c.recommendedDurationMinutes ? formatMinutes(c.recommendedDurationMinutes) : '—'}</dd>
          <dt>Reason</dt>
          <dd>{c.requireReason ? 'Required' : 'Optional'}</dd>
        </dl>
      )}
    </li>
  );
}

export function RequestConfigTab({ item, manage }: { item: ItemKey; manage: boolean }) {
  const data = useLoad(() => loadConfigurations(item), [item.kind, item.id]);
  const [editing, setEditing] = useState(false);
  return (
    <section aria-labelledby="configs-heading">
      <div className="section-head">
        <h2 id="configs-heading">Request configurations</h2>
        {manage && data.data && !editing && (
          <button type="button" onClick={() => setEditing(true)}>
            Edit configurations
          </button>
        )}
      </div>
      <p className="muted">
        Tried in this order: entries with a condition by priority, the default last. The first whose condition
        the person meets applies.
      </p>
      <ErrorNote error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && !editing && data.data.length === 0 && (
        <Empty>No configuration: nobody can request this.</Empty>
      )}
      {data.data && !editing && data.data.length > 0 && (
        <ol className="card-list">
          {triedOrder(data.data).map((c, i) => (
            <Entry key={i} c={c} index={i} />
          ))}
        </ol>
      )}
      {data.data && editing && (
        <ConfigEditor
          item={item}
          initial={data.data}
          onDone={(saved) => {
            setEditing(false);
            if (saved) data.setData(saved);
          }}
        />
      )}
    </section>
  );
}
