import { useEffect, useState } from 'react';
import type { AccessReview, AccessReviewRow, ReviewDecision } from '../../api/types';
import { Empty, ErrorNote, Loading, Success } from '../../components/Notice';
import { loadRows, rowItemName, ROW_CAP } from '../../lib/access-reviews';
import { useDirectory } from '../../lib/directory';
import { useLoad } from '../../lib/use-load';
import { decide } from './decide';
import { DecisionDialog } from './DecisionDialog';
import { filterRows, itemsOf, NO_FILTER, RowFilters, type RowFilter } from './RowFilters';
import { RowsTable } from './RowsTable';
import { SelectionBar } from './SelectionBar';

// A campaign's rows with their filters and decisions: the user's own rows to decide, or for those who read
// every row, all of them. Keeping is one click; revoking and shortening ask first. After a decision the
// campaign's progress is read again. The decision, reviewer and item filters are the server's, so that in a
// campaign with more rows than one list holds, "Not decided" brings the next rows to decide once those shown are
// decided, and one reviewer's or one item's rows are all of them, not those among the first rows.

const AFTER: Record<ReviewDecision, string> = {
  keep: '.',
  revoke: ': it ends when the campaign closes.',
  shorten: ': its new end is set when the campaign closes.',
};

interface Props {
  review: AccessReview;
  /** Only the rows the user reviews; otherwise every row (admins and auditors). */
  mine: boolean;
  label: string;
  onDecided: () => void;
}

export function ReviewRows({ review, mine, label, onDecided }: Props) {
  const dir = useDirectory();
  const me = dir.me.id;
  const [filter, setFilter] = useState<RowFilter>(NO_FILTER);
  const reviewer = mine ? me : filter.reviewer || undefined;
  const list = useLoad(
    () =>
      loadRows(review.id, {
        reviewerId: reviewer,
        decision: filter.decision || undefined,
        item: filter.item || undefined,
      }),
    [review.id, reviewer, filter.decision, filter.item],
  );
  // The items to choose from: those of the rows listed while no item was chosen, kept while one is.
  const [items, setItems] = useState<[string, string][]>([]);
  const loaded = list.data?.rows;
  useEffect(() => {
    if (loaded && !filter.item) setItems(itemsOf(loaded, dir));
  }, [loaded, filter.item, dir]);
  const [chosenIds, setChosenIds] = useState(new Set<string>());
  const [asking, setAsking] = useState<{ rows: AccessReviewRow[]; decision: 'revoke' | 'shorten' }>();
  const [said, setSaid] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const decides = (row: AccessReviewRow) => row.abilities.decide;
  const rows = list.data?.rows ?? [];
  const shown = filterRows(rows, filter, dir);
  const decidable = shown.filter(decides);
  const chosen = decidable.filter((r) => chosenIds.has(r.id));

  function changeFilter(f: RowFilter) {
    setFilter(f);
    setChosenIds(new Set());
  }

  function choose(row: AccessReviewRow, on: boolean) {
    setChosenIds((ids) => {
      const next = new Set(ids);
      if (on) next.add(row.id);
      else next.delete(row.id);
      return next;
    });
  }

  function recorded(updated: AccessReviewRow[], decision: ReviewDecision) {
    const byId = new Map(updated.map((r) => [r.id, r]));
    const next = rows.map((r) => byId.get(r.id) ?? r);
    if (list.data) list.setData({ ...list.data, rows: next });
    // Everything listed now falls outside the filters, and more rows wait beyond the list: read the next ones.
    if (list.data?.more && filterRows(next, filter, dir).length === 0) list.reload();
    setChosenIds((ids) => new Set([...ids].filter((id) => !byId.has(id))));
    const one = updated.length === 1 ? updated[0]! : undefined;
    const what = one
      ? `${dir.userName(one.userId)}’s access to ${rowItemName(one, dir)}`
      : `${updated.length} rows`;
    setSaid(`Decided to ${decision} ${what}${AFTER[decision]}`);
    onDecided();
  }

  async function start(targets: AccessReviewRow[], decision: ReviewDecision) {
    setSaid(undefined);
    setError(undefined);
    if (decision !== 'keep') return setAsking({ rows: targets, decision });
    setBusy(true);
    try {
      recorded(await decide(review.id, { rowIds: targets.map((r) => r.id), decision }), decision);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (list.loading && !list.data) return <Loading what="Loading the rows" />;
  if (list.error) return <ErrorNote error={list.error} />;
  if (rows.length === 0 && !Object.values(filter).some(Boolean))
    return (
      <Empty>{mine ? 'No rows of this campaign are yours to review.' : 'This campaign has no rows.'}</Empty>
    );
  const open = review.status === 'open';
  return (
    <>
      <RowFilters
        label={`Filter ${label.toLowerCase()}`}
        items={items}
        filter={filter}
        onChange={changeFilter}
        reviewerIds={mine ? undefined : review.progress.byReviewer.map((p) => p.reviewerId)}
      />
      {said && <Success>{said}</Success>}
      <ErrorNote error={error} />
      {list.data?.more && (
        <p className="notice notice-info">
          Showing the first {ROW_CAP.toLocaleString('en')} rows{filter.decision ? ' with this decision' : ''}.
          {open && filter.decision !== 'undecided' && ' Choose “Not decided” to work through the rest.'} The
          report has all of them.
        </p>
      )}
      {open && decidable.length > 0 && (
        <>
          <SelectionBar
            shown={decidable}
            chosen={chosen}
            busy={busy}
            onChooseAll={(on) => setChosenIds(new Set(on ? decidable.map((r) => r.id) : []))}
            onDecide={start}
          />
          <p className="muted small keys-hint">
            In the list, <kbd>↓</kbd> or <kbd>j</kbd> moves to the next row, <kbd>↑</kbd> or <kbd>k</kbd> to
            the one before, and <kbd>Space</kbd> chooses it.
          </p>
        </>
      )}
      {shown.length === 0 ? (
        <Empty>No rows match these filters.</Empty>
      ) : (
        <RowsTable
          rows={shown}
          caption={label}
          decides={decides}
          chosen={chosenIds}
          onChoose={choose}
          onDecide={start}
          showReviewers={!mine}
          showEffect={!open}
          busy={busy}
        />
      )}
      {asking && (
        <DecisionDialog
          reviewId={review.id}
          rows={asking.rows}
          decision={asking.decision}
          onClose={(updated) => {
            const decision = asking.decision;
            setAsking(undefined);
            if (updated) recorded(updated, decision);
          }}
        />
      )}
    </>
  );
}
