import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { AccessReview } from '../../api/types';
import { Field } from '../../components/Field';
import { ErrorNote, Success } from '../../components/Notice';
import { PersonField } from '../../components/PersonField';
import { useDirectory } from '../../lib/directory';
import { formatDateTime, isoToLocalInput, localInputToIso } from '../../lib/time';

// Handing a reviewer's rows to someone else until a date, while the campaign is open: a reviewer hands over
// their own rows, admins and auditors any reviewer's (as the campaign's abilities say). The person is found by
// name; the date defaults to the deadline. A new handover of the same reviewer replaces the last one.

interface Props {
  review: AccessReview;
  onHandedOver: () => void;
}

type Errors = { fromUserId?: string; toUserId?: string; until?: string };

/** What the form lacks before it is sent, at the field concerned. */
function draftErrors(fromUserId: string, toUserId: string, until: string | undefined, me: string): Errors {
  const errors: Errors = {};
  if (!fromUserId) errors.fromUserId = 'Choose whose rows to hand over.';
  if (!toUserId) errors.toUserId = 'Choose who decides the rows.';
  else if (toUserId === fromUserId)
    errors.toUserId =
      fromUserId === me ? 'Choose someone other than yourself.' : 'Choose someone other than the reviewer.';
  if (!until) errors.until = 'Choose until when.';
  return errors;
}

export function HandOverRows({ review, onHandedOver }: Props) {
  const dir = useDirectory();
  const me = dir.me.id;
  const { delegateOwn, delegateAny } = review.abilities;
  const reviewerIds = review.progress.byReviewer.map((p) => p.reviewerId);
  // Only the campaign's reviewers have rows to hand over: the caller's own, or anyone's for those who may.
  const handable = delegateAny ? reviewerIds : delegateOwn && reviewerIds.includes(me) ? [me] : [];
  const [fromUserId, setFromUserId] = useState(handable.includes(me) ? me : '');
  const [toUserId, setToUserId] = useState('');
  const [until, setUntil] = useState(() => isoToLocalInput(review.deadline));
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>();
  const [said, setSaid] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (handable.length === 0) return null;
  const onlyOwn = !delegateAny;
  const whose = (id: string) => (id === me ? 'Your rows' : `${dir.userName(id)}’s rows`);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setSaid(undefined);
    const iso = localInputToIso(until);
    const missing = draftErrors(fromUserId, toUserId, iso, me);
    setErrors(missing);
    if (Object.keys(missing).length > 0 || !iso) return;
    setBusy(true);
    try {
      const made = await ok(
        api.POST('/api/v1/access-reviews/{id}/delegations', {
          params: { path: { id: review.id } },
          body: { fromUserId, toUserId, until: iso },
        }),
      );
      setSaid(
        `${whose(made.fromUserId)} go to ${dir.userName(made.toUserId)} until ${formatDateTime(made.until)}.`,
      );
      setToUserId('');
      onHandedOver();
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      // The server names the person by id when it turns them down; here they are named by the field.
      const toUserIdError = fields.toUserId && 'Choose someone else: this person cannot take the rows.';
      const shown = { fromUserId: fields.fromUserId, toUserId: toUserIdError, until: fields.until };
      setErrors(shown);
      if (!shown.fromUserId && !shown.toUserId && !shown.until) setError(err);
    } finally {
      setBusy(false);
    }
  }

  const byName = [...handable].sort((a, b) => dir.userName(a).localeCompare(dir.userName(b)));
  return (
    <section aria-labelledby="hand-over-heading">
      <h2 id="hand-over-heading">{onlyOwn ? 'Hand over your rows' : 'Hand over rows'}</h2>
      <p className="muted small">
        {onlyOwn
          ? 'Someone else decides your rows in your place until the date you choose. You can take them back sooner.'
          : 'Someone else decides a reviewer’s rows in their place until the date chosen. They can be taken back sooner.'}{' '}
        A new handover replaces the last one.
      </p>
      <form className="panel" onSubmit={submit} noValidate aria-labelledby="hand-over-heading">
        <div className="form-row">
          {!onlyOwn && (
            <Field label="Whose rows" required error={errors.fromUserId}>
              {(p) => (
                <select
                  {...p}
                  value={fromUserId}
                  onChange={(e) => {
                    setFromUserId(e.target.value);
                    setSaid(undefined);
                  }}
                >
                  <option value="">Choose…</option>
                  {byName.map((id) => (
                    <option key={id} value={id}>
                      {dir.userName(id)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field label="Hand to" required error={errors.toUserId}>
            {(p) => <PersonField control={p} label="Hand to" value={toUserId} onChange={setToUserId} />}
          </Field>
          <Field label="Until" required error={errors.until} hint="The rows come back on their own then.">
            {(p) => (
              <input {...p} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
            )}
          </Field>
        </div>
        <ErrorNote error={error} />
        {said && <Success>{said}</Success>}
        <button type="submit" className="button-primary" disabled={busy}>
          Hand over
        </button>
      </form>
    </section>
  );
}
