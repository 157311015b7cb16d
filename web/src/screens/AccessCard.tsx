import { useId } from 'react';
import type { AccessPath, CatalogEntry } from '../api/types';
import { Countdown } from '../components/Countdown';
import { pathText, sourceLabel } from '../lib/access';
import { useDirectory } from '../lib/directory';
import { formatDateTime } from '../lib/time';

// One thing I can access now: until when, every way I have it, and what I can do about the grants that sit
// on this very item (grants reached through nesting are managed on the group that holds them).

export interface AccessItem {
  groupId?: string;
  resourceId?: string;
  accessLevel: string | null;
  expiresAt: string | null;
  via: AccessPath[];
}

export type GrantAction = 'give-up' | 'end-break-glass' | 'extend' | 'request-more';

interface Props {
  item: AccessItem;
  catalog: CatalogEntry | undefined;
  onAction: (action: GrantAction, path: AccessPath) => void;
}

/** A path starts on this item when the grant is on it (groups: [item]; resources: no groups). */
const isOwnGrant = (item: AccessItem, p: AccessPath) =>
  item.groupId ? p.groupIds.length === 1 : p.groupIds.length === 0;

export function AccessCard({ item, catalog, onAction }: Props) {
  const dir = useDirectory();
  const titleId = useId();
  const name = dir.itemName(item);
  const requestable = catalog?.actions.request && catalog.requestTerms;
  const tail = item.resourceId ? dir.resourceName(item.resourceId) : undefined;
  return (
    <li className="card">
      <div className="card-head">
        <h3 id={titleId}>{name}</h3>
        <Countdown expiresAt={item.expiresAt} />
      </div>
      <h4 className="visually-hidden">How you have it</h4>
      <ul className="paths">
        {item.via.map((p) => {
          const own = isOwnGrant(item, p);
          return (
            <li key={`${p.grantId}-${p.groupIds.join('.')}`}>
              <span className={`badge badge-${p.source}`}>{sourceLabel[p.source]}</span>{' '}
              {own ? (
                <span className="muted small">on this {item.groupId ? 'group' : 'resource'}</span>
              ) : (
                <span className="small">through {pathText(p, dir.groupName, tail)}</span>
              )}
              {p.expiresAt && <span className="muted small"> · ends {formatDateTime(p.expiresAt)}</span>}
              {own && (
                <span className="row-actions">
                  {p.source === 'break_glass' ? (
                    <button
                      type="button"
                      aria-describedby={titleId}
                      className="button-danger-quiet"
                      onClick={() => onAction('end-break-glass', p)}
                    >
                      End break-glass access
                    </button>
                  ) : (
                    <button
                      type="button"
                      aria-describedby={titleId}
                      className="button-quiet"
                      onClick={() => onAction('give-up', p)}
                    >
                      Give up
                    </button>
                  )}
                  {requestable && p.source === 'request' && (
                    <button type="button" aria-describedby={titleId} onClick={() => onAction('extend', p)}>
                      Extend
                    </button>
                  )}
                  {requestable && p.source !== 'request' && p.expiresAt && (
                    <button
                      type="button"
                      aria-describedby={titleId}
                      onClick={() => onAction('request-more', p)}
                    >
                      Request more time
                    </button>
                  )}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </li>
  );
}
