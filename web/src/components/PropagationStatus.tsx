import type { Propagation } from '../api/types';
import { propagationLabel } from '../lib/connections';
import { formatDateTime } from '../lib/time';

// Where one person's access stands in the item's connected system, as a small label; why it failed or has no
// account is written beside it (a tooltip alone is lost on touch screens and to many screen readers). Nothing
// for an item without a link.

const tone: Record<Propagation['status'], string> = {
  synced: 'badge-ok',
  pending: 'badge-warn',
  failed: 'badge-bad',
  no_account: 'badge-warn',
  not_linked: '',
};

export function PropagationStatus({ propagation: p }: { propagation: Propagation }) {
  if (p.status === 'not_linked') return null;
  const since = p.at ? `since ${formatDateTime(p.at)}` : undefined;
  const title = [p.detail, since].filter(Boolean).join(' · ') || undefined;
  return (
    <span className="propagation">
      <span className={`badge ${tone[p.status]}`} title={title}>
        {propagationLabel[p.status]}
      </span>
      {p.detail && (p.status === 'failed' || p.status === 'no_account') && (
        <span className="small muted propagation-detail">{p.detail}</span>
      )}
    </span>
  );
}
