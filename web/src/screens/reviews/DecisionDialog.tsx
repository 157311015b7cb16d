import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/errors';
import type { AccessReviewRow } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/Notice';
import { revokeEffectText, rowItemName } from '../../lib/access-reviews';
import { useDirectory } from '../../lib/directory';
import { localInputToIso } from '../../lib/time';
import { decide } from './decide';

// Revoking or shortening rows asks for more than a click: revoking says why, shortening says until when.
// Nothing changes before the campaign closes; until then a reviewer may change their mind.

interface Props {
  reviewId: string;
  rows: AccessReviewRow[];
  decision: 'revoke' | 'shorten';
  onClose: (updated?: AccessReviewRow[]) => void;
}

function Subject({ rows }: { rows: AccessReviewRow[] }) {
  const dir = useDirectory();
  if (rows.length !== 1) return <>{rows.length} rows</>;
  const row = rows[0]!;
  return (
    <>
      {dir.userName(row.userId)}’s access to {rowItemName(row, dir)}
    </>
  );
}

export function DecisionDialog({ reviewId, rows, decision, onClose }: Props) {
  const dir = useDirectory();
  const [comment, setComment] = useState('');
  const [until, setUntil] = useState('');
  const [errors, setErrors] = useState<{ comment?: string; keepUntil?: string }>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const revoking = decision === 'revoke';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const keepUntil = localInputToIso(until);
    if (revoking && !comment.trim()) return setErrors({ comment: 'Say why the access is revoked.' });
    if (!revoking && !keepUntil) return setErrors({ keepUntil: 'Choose until when the access is kept.' });
    setErrors({});
    setBusy(true);
    try {
      onClose(
        await decide(reviewId, {
          rowIds: rows.map((r) => r.id),
          decision,
          ...(keepUntil && !revoking ? { keepUntil } : {}),
          ...(comment.trim() ? { comment: comment.trim() } : {}),
        }),
      );
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      const shown = { comment: fields.comment, keepUntil: fields.keepUntil };
      setErrors(shown);
      if (!shown.comment && !shown.keepUntil) setError(err);
      setBusy(false);
    }
  }

  const single = rows.length === 1 ? rows[0] : undefined;
  const title = revoking ? 'Revoke access' : 'Shorten access';
  return (
    <Dialog
      title={title}
      onClose={() => onClose()}
      description={
        <p>
          {revoking ? 'Revoke' : 'Shorten'} <Subject rows={rows} />. This takes effect when the campaign
          closes
          {single && revoking ? `: it ${revokeEffectText(single, dir)}` : ''}.
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        {!revoking && (
          <Field
            label="Keep until"
            required
            error={errors.keepUntil}
            hint="The access ends then, no later than it would anyway."
          >
            {(p) => (
              <input
                {...p}
                type="datetime-local"
                value={until}
                onChange={(e) => setUntil(e.target.value)}
                data-autofocus
              />
            )}
          </Field>
        )}
        <Field
          label={revoking ? 'Why is it revoked?' : 'Comment'}
          required={revoking}
          error={errors.comment}
          hint={revoking ? 'Kept in the campaign’s report and the audit log.' : undefined}
        >
          {(p) => (
            <textarea
              {...p}
              rows={3}
              maxLength={1000}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              {...(revoking ? { 'data-autofocus': true } : {})}
            />
          )}
        </Field>
        <ErrorNote error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className={revoking ? 'button-danger' : 'button-primary'} disabled={busy}>
            {revoking ? 'Revoke' : 'Shorten'}
            {rows.length > 1 ? ` ${rows.length} rows` : ''}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
