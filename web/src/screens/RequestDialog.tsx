import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import type { AccessRequest, CatalogEntry, Grant, RequestTerms } from '../api/types';
import { Countdown } from '../components/Countdown';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { ErrorNote } from '../components/Notice';
import { durationChoices } from '../lib/access';
import { formatMinutes } from '../lib/time';

// Asking for access: a duration from the item's terms (recommended first), an access level for resources,
// and a reason when the terms require one. The outcome is shown in place: granted at once, or waiting.

const MAX_REASON = 1000;

interface Props {
  entry: Pick<CatalogEntry, 'id' | 'name' | 'type' | 'accessLevels'> & { requestTerms: RequestTerms };
  /** For an extension of a requested grant: POST /grants/{id}/extend instead of a new request. */
  extendGrantId?: string;
  level?: string;
  onClose: (changed: boolean) => void;
}

type Outcome = { request: AccessRequest; grant?: Grant };

export function RequestDialog({ entry, extendGrantId, level: fixedLevel, onClose }: Props) {
  const terms = entry.requestTerms;
  const choices = durationChoices(terms);
  const levels = entry.accessLevels?.map((l) => l.accessLevel) ?? [];
  const [duration, setDuration] = useState(choices[0] ?? 60);
  const [level, setLevel] = useState(
    fixedLevel ?? entry.accessLevels?.find((l) => !l.hasAccess)?.accessLevel ?? levels[0] ?? '',
  );
  const [reason, setReason] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const trimmed = reason.trim();
    if (terms.requireReason && !trimmed)
      return setFieldErrors({ reason: 'A reason is required for this item.' });
    setFieldErrors({});
    setBusy(true);
    try {
      const common = { durationMinutes: duration, ...(trimmed ? { reason: trimmed } : {}) };
      const request = extendGrantId
        ? await ok(
            api.POST('/api/v1/grants/{id}/extend', { params: { path: { id: extendGrantId } }, body: common }),
          )
        : await ok(
            api.POST('/api/v1/requests', {
              body: {
                ...common,
                items: [
                  entry.type === 'group'
                    ? { groupId: entry.id }
                    : { resourceId: entry.id, accessLevel: level },
                ],
              },
            }),
          );
      const grantId = request.items.find((i) => i.grantId)?.grantId;
      const grant = grantId
        ? await ok(api.GET('/api/v1/grants/{id}', { params: { path: { id: grantId } } })).catch(
            () => undefined,
          )
        : undefined;
      setOutcome({ request, grant });
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      if (err instanceof ApiError && err.code === 'reason_required') fields.reason = err.message;
      if (err instanceof ApiError && err.code === 'duration_exceeds_max')
        fields.durationMinutes = err.message;
      setFieldErrors(fields);
      if (!Object.keys(fields).length) setError(err);
    } finally {
      setBusy(false);
    }
  }

  const title = `${extendGrantId ? 'Extend access to' : 'Request access to'} ${entry.name}`;
  if (outcome) {
    const granted = outcome.request.items.every((i) => i.status === 'approved');
    return (
      <Dialog key="outcome" title={title} onClose={() => onClose(true)}>
        {granted ? (
          <div className="notice notice-active" role="status">
            <p>
              <strong>Access granted.</strong> It was approved automatically.
            </p>
            <p className="big-countdown">
              <Countdown expiresAt={outcome.grant?.expiresAt} announce noEnd="No end date" />
            </p>
          </div>
        ) : (
          <div className="notice notice-pending" role="status">
            <p>
              <strong>Request sent: pending review.</strong> You will get access once it is approved; follow
              it under Requests.
            </p>
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="button-primary" onClick={() => onClose(true)} data-autofocus>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  const max = terms.maxDurationMinutes;
  return (
    <Dialog
      key="ask"
      title={title}
      onClose={() => onClose(false)}
      description={
        <p>
          {terms.autoApprove ? 'Approved automatically.' : 'Reviewed before access is granted.'}
          {max ? ` At most ${formatMinutes(max)}.` : ''}
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        {entry.type === 'resource' && !fixedLevel && (
          <Field label="Access level" error={fieldErrors['items.0.accessLevel']}>
            {(props) => (
              <select {...props} value={level} onChange={(e) => setLevel(e.target.value)}>
                {levels.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
            )}
          </Field>
        )}
        <fieldset
          className="choices"
          aria-describedby={fieldErrors.durationMinutes ? 'duration-error' : undefined}
        >
          <legend>Duration</legend>
          {choices.map((m, i) => (
            <label key={m} className="choice">
              <input
                type="radio"
                name="duration"
                value={m}
                checked={duration === m}
                onChange={() => setDuration(m)}
                {...(i === 0 ? { 'data-autofocus': true } : {})}
              />
              {formatMinutes(m)}
              {m === terms.recommendedDurationMinutes && <span className="badge">recommended</span>}
            </label>
          ))}
          {fieldErrors.durationMinutes && (
            <div id="duration-error" className="field-error">
              {fieldErrors.durationMinutes}
            </div>
          )}
        </fieldset>
        <Field label="Reason" required={terms.requireReason} error={fieldErrors.reason}>
          {(props) => (
            <textarea
              {...props}
              rows={3}
              maxLength={MAX_REASON}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </Field>
        <ErrorNote error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? 'Sending…' : terms.autoApprove ? 'Get access' : 'Send request'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
