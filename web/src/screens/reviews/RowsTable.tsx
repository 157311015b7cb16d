import type { KeyboardEvent } from 'react';
import type { AccessReviewRow, ReviewDecision } from '../../api/types';
import { rowItemName, rowPathText } from '../../lib/access-reviews';
import { useDirectory } from '../../lib/directory';
import { formatDateTime } from '../../lib/time';
import { DecisionState } from './DecisionState';

// The rows of a campaign: who, what, how they came to have it, and the decision. Rows the user decides have a
// checkbox and their own Keep, Revoke and Shorten buttons. With focus in a row, ↓ or j and ↑ or k move to the
// next or previous row.

interface Props {
  rows: AccessReviewRow[];
  caption: string;
  decides: (row: AccessReviewRow) => boolean;
  chosen: Set<string>;
  onChoose: (row: AccessReviewRow, on: boolean) => void;
  onDecide: (rows: AccessReviewRow[], decision: ReviewDecision) => void;
  showReviewers: boolean;
  showEffect: boolean;
  busy: boolean;
}

const NEXT = new Set(['ArrowDown', 'j']);
const PREVIOUS = new Set(['ArrowUp', 'k']);

/** Moves focus to the neighbouring row's first control (its checkbox when it has one). */
function moveBetweenRows(e: KeyboardEvent<HTMLTableSectionElement>) {
  const target = e.target as HTMLElement;
  if (e.altKey || e.ctrlKey || e.metaKey || target.matches('textarea, select, input:not([type=checkbox])'))
    return;
  const step = NEXT.has(e.key) ? 1 : PREVIOUS.has(e.key) ? -1 : 0;
  if (!step) return;
  const row = target.closest('tr');
  const next = (step > 0 ? row?.nextElementSibling : row?.previousElementSibling) as HTMLElement | null;
  const focus = next?.querySelector<HTMLElement>('[data-row-focus]');
  if (!focus) return;
  e.preventDefault();
  focus.focus();
}

function RowActions({ row, onDecide, busy }: Pick<Props, 'onDecide' | 'busy'> & { row: AccessReviewRow }) {
  const dir = useDirectory();
  const about = `${dir.userName(row.userId)}’s access to ${rowItemName(row, dir)}`;
  return (
    <div className="decide-buttons">
      <button
        type="button"
        className="button-small"
        disabled={busy}
        aria-label={`Keep ${about}`}
        onClick={() => onDecide([row], 'keep')}
      >
        Keep
      </button>
      <button
        type="button"
        className="button-small button-danger-quiet"
        disabled={busy}
        aria-label={`Revoke ${about}…`}
        onClick={() => onDecide([row], 'revoke')}
      >
        Revoke…
      </button>
      {row.via.grantId && (
        <button
          type="button"
          className="button-small"
          disabled={busy}
          aria-label={`Shorten ${about}…`}
          onClick={() => onDecide([row], 'shorten')}
        >
          Shorten…
        </button>
      )}
    </div>
  );
}

export function RowsTable(props: Props) {
  const { rows, caption, decides, chosen, onChoose, showReviewers, showEffect } = props;
  const dir = useDirectory();
  const anyDecided = rows.some(decides);
  return (
    <table className="data cards review-rows">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {anyDecided && (
            <th scope="col" className="choose">
              <span className="visually-hidden">Choose</span>
            </th>
          )}
          <th scope="col">Person</th>
          <th scope="col">Access to</th>
          <th scope="col">How</th>
          {showReviewers && <th scope="col">Reviewers</th>}
          <th scope="col">Decision</th>
          {showEffect && <th scope="col">When closed</th>}
          {anyDecided && (
            <th scope="col">
              <span className="visually-hidden">Decide</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody onKeyDown={moveBetweenRows}>
        {rows.map((row) => {
          const person = dir.userName(row.userId);
          const email = dir.users.get(row.userId)?.email;
          const mine = decides(row);
          return (
            <tr key={row.id}>
              {anyDecided && (
                <td className="choose">
                  {mine && (
                    <input
                      type="checkbox"
                      data-row-focus
                      aria-label={`Choose ${person}’s access to ${rowItemName(row, dir)}`}
                      checked={chosen.has(row.id)}
                      onChange={(e) => onChoose(row, e.target.checked)}
                    />
                  )}
                </td>
              )}
              <th scope="row" data-label="Person" {...(mine ? {} : { tabIndex: -1, 'data-row-focus': true })}>
                {person}
                {email && email !== person && <div className="muted small">{email}</div>}
              </th>
              <td data-label="Access to">
                {rowItemName(row, dir)}
                {row.accessEndsAt && (
                  <div className="muted small">ends {formatDateTime(row.accessEndsAt)}</div>
                )}
              </td>
              <td data-label="How" className="how">
                {rowPathText(row, dir)}
              </td>
              {showReviewers && (
                <td data-label="Reviewers">{row.reviewerIds.map(dir.userName).join(', ') || '—'}</td>
              )}
              <td data-label="Decision">
                <DecisionState row={row} />
              </td>
              {showEffect && <td data-label="When closed">{row.effect ?? '—'}</td>}
              {anyDecided && (
                <td className="actions">
                  {mine && <RowActions row={row} onDecide={props.onDecide} busy={props.busy} />}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
