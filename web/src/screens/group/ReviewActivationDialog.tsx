import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import type { Activation } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { formatDateTime } from '../../lib/time';

// Reviewing a break-glass activation after the fact: justified or not, with a comment for the record.

export function ReviewActivationDialog({
  activation,
  onClose,
}: {
  activation: Activation;
  onClose: (done: boolean) => void;
}) {
  const dir = useDirectory();
  const [outcome, setOutcome] = useState<'justified' | 'unjustified'>('justified');
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!comment.trim()) return setCommentError('Write a short comment for the record.');
    setCommentError(undefined);
    setBusy(true);
    try {
      const body = { outcome, comment: comment.trim() };
      await ok(
        api.POST('/api/v1/break-glass/activations/{id}/review', {
          params: { path: { id: activation.id } },
          body,
        }),
      );
      onClose(true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Review break-glass activation"
      onClose={() => onClose(false)}
      description={
        <p>
          {dir.userName(activation.userId)} broke the glass on {dir.groupName(activation.groupId)} on{' '}
          {formatDateTime(activation.activatedAt)}: “{activation.reason}”
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        <fieldset className="choices">
          <legend>Outcome</legend>
          <label className="choice">
            <input
              type="radio"
              name="outcome"
              checked={outcome === 'justified'}
              onChange={() => setOutcome('justified')}
              data-autofocus
            />
            Justified
          </label>
          <label className="choice">
            <input
              type="radio"
              name="outcome"
              checked={outcome === 'unjustified'}
              onChange={() => setOutcome('unjustified')}
            />
            Not justified
          </label>
        </fieldset>
        <Field label="Comment" required error={commentError}>
          {(p) => (
            <textarea
              {...p}
              rows={3}
              maxLength={2000}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          )}
        </Field>
        <ErrorNote error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={busy}>
            Record review
          </button>
        </div>
      </form>
    </Dialog>
  );
}
