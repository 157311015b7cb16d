import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import type { NewAccessReview } from '../api/types';
import { Field } from '../components/Field';
import { ErrorNote } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { useDirectory } from '../lib/directory';
import { Link, navigate } from '../lib/router';
import { isoToLocalInput, localInputToIso } from '../lib/time';
import { ReviewerFields, type Reviewers } from './reviews/ReviewerFields';
import { ScopeFields, type Scope } from './reviews/ScopeFields';

// Starting a campaign (admins and auditors): a name, what it covers, who reviews, and until when. Latch takes
// a snapshot of who holds what at once; the API names the field at fault, shown at that field.

/** A `datetime-local` value `days` from now, on the hour. */
function localInDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setMinutes(0, 0, 0);
  return isoToLocalInput(d.toISOString());
}

type Errors = Record<string, string>;

/** The API's field names, folded onto the parts of the form that show them. */
function fieldOf(key: string): string {
  if (key.startsWith('scope')) return 'scope';
  if (key.startsWith('reviewers.fallbackUserIds')) return 'fallbackUserIds';
  if (key.startsWith('reviewers.userIds')) return 'userIds';
  if (key.startsWith('reviewers')) return 'type';
  return key;
}
const SHOWN = ['name', 'scope', 'type', 'userIds', 'fallbackUserIds', 'deadline'];

export function NewReview() {
  const dir = useDirectory();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>({
    everything: false,
    groupIds: [],
    resourceIds: [],
    connectionIds: [],
  });
  const [reviewers, setReviewers] = useState<Reviewers>({ type: 'owners', userIds: [], fallbackUserIds: [] });
  const [deadline, setDeadline] = useState(() => localInDays(14));
  const [autoRevoke, setAutoRevoke] = useState(false);
  const [selfReview, setSelfReview] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  if (!dir.me.abilities.createAccessReviews)
    return (
      <>
        <PageHeader title="Start an access review" />
        <p className="notice notice-info">Only admins and auditors start access reviews.</p>
      </>
    );

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const body: NewAccessReview = {
      name: name.trim(),
      scope: scope.everything
        ? { everything: true }
        : { groupIds: scope.groupIds, resourceIds: scope.resourceIds, connectionIds: scope.connectionIds },
      reviewers: {
        type: reviewers.type,
        ...(reviewers.type === 'users' ? { userIds: reviewers.userIds } : {}),
        fallbackUserIds: reviewers.fallbackUserIds,
      },
      deadline: localInputToIso(deadline) ?? deadline,
      autoRevokeUnreviewed: autoRevoke,
      allowSelfReview: selfReview,
    };
    setBusy(true);
    try {
      const created = await ok(api.POST('/api/v1/access-reviews', { body }));
      navigate(`/reviews/${created.id}`);
    } catch (err) {
      const found: Errors = {};
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      for (const [key, message] of Object.entries(fields)) found[fieldOf(key)] ??= message;
      setErrors(found);
      const elsewhere = Object.keys(found).length === 0 || Object.keys(found).some((k) => !SHOWN.includes(k));
      setError(elsewhere ? err : undefined);
      setBusy(false);
    }
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/reviews">All access reviews</Link>
      </p>
      <PageHeader
        title="Start an access review"
        intro="Latch lists who holds what now; the reviewers keep or revoke each row until the deadline."
      />
      <form className="panel" onSubmit={submit} noValidate aria-label="New access review">
        <Field label="Name" required error={errors.name}>
          {(p) => (
            <input
              {...p}
              value={name}
              maxLength={200}
              placeholder="Quarterly review of production access"
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <ScopeFields scope={scope} onChange={setScope} error={errors.scope} />
        <ReviewerFields reviewers={reviewers} onChange={setReviewers} errors={errors} />
        <Field
          label="Deadline"
          required
          error={errors.deadline}
          hint="The campaign closes then and its decisions take effect. Access that ends before it needs no decision."
        >
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              value={deadline}
              onChange={(e) => setDeadline(e.target.value)}
            />
          )}
        </Field>
        <fieldset className="choices">
          <legend>Options</legend>
          <label className="choice">
            <input type="checkbox" checked={autoRevoke} onChange={(e) => setAutoRevoke(e.target.checked)} />
            <span>Revoke access nobody decided on</span>
          </label>
          <label className="choice">
            <input type="checkbox" checked={selfReview} onChange={(e) => setSelfReview(e.target.checked)} />
            <span>Let reviewers decide their own access</span>
          </label>
        </fieldset>
        <ErrorNote error={error} />
        <div className="row-actions">
          <button type="submit" className="button-primary" disabled={busy}>
            Start campaign
          </button>
          <Link to="/reviews" className="button">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
