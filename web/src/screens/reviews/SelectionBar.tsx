import { useEffect, useId, useRef } from 'react';
import type { AccessReviewRow, ReviewDecision } from '../../api/types';

// What can be done with the chosen rows at once: keep them, revoke them (asking why) or shorten them (asking
// until when). Choosing all picks every row shown that the user decides.

interface Props {
  shown: AccessReviewRow[];
  chosen: AccessReviewRow[];
  onChooseAll: (on: boolean) => void;
  onDecide: (rows: AccessReviewRow[], decision: ReviewDecision) => void;
  busy: boolean;
}

export function SelectionBar({ shown, chosen, onChooseAll, onDecide, busy }: Props) {
  const all = useRef<HTMLInputElement>(null);
  const nestingId = useId();
  const some = chosen.length > 0 && chosen.length < shown.length;
  useEffect(() => {
    if (all.current) all.current.indeterminate = some;
  }, [some]);
  const n = chosen.length;
  const throughNesting = chosen.some((r) => !r.via.grantId);
  return (
    <div className="selection-bar" role="group" aria-label="Decide the chosen rows">
      <label className="choose-all">
        <input
          ref={all}
          type="checkbox"
          checked={n > 0 && n === shown.length}
          onChange={(e) => onChooseAll(e.target.checked)}
        />
        Choose all {shown.length} shown
      </label>
      <span className="selection-count" role="status">
        {n === 0 ? 'None chosen' : `${n} chosen`}
      </span>
      <button type="button" disabled={busy || n === 0} onClick={() => onDecide(chosen, 'keep')}>
        Keep chosen
      </button>
      <button
        type="button"
        className="button-danger-quiet"
        disabled={busy || n === 0}
        onClick={() => onDecide(chosen, 'revoke')}
      >
        Revoke chosen…
      </button>
      <button
        type="button"
        disabled={busy || n === 0 || throughNesting}
        aria-describedby={throughNesting ? nestingId : undefined}
        onClick={() => onDecide(chosen, 'shorten')}
      >
        Shorten chosen…
      </button>
      {throughNesting && (
        <span id={nestingId} className="muted small">
          Access through nesting can be kept or revoked, not shortened.
        </span>
      )}
    </div>
  );
}
