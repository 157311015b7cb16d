import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import type { Activation, CatalogEntry } from '../api/types';
import { Countdown } from '../components/Countdown';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { ErrorNote, Loading } from '../components/Notice';
import { formatDateTime, formatMinutes } from '../lib/time';
import { useLoad } from '../lib/use-load';

// Break-glass: immediate access for an emergency, with a required reason. The person is told before they
// act that it is audited, that owners are notified and that it will be reviewed.

const MAX_REASON = 1000;

interface Props {
  /** With the caller's active activation, the dialog asks to activate again: a new window and review. */
  entry: Pick<CatalogEntry, 'id' | 'name'> & { breakGlassActivation?: CatalogEntry['breakGlassActivation'] };
  onClose: (changed: boolean) => void;
}

export function BreakGlassDialog({ entry, onClose }: Props) {
  const settings = useLoad(
    () => ok(api.GET('/api/v1/groups/{id}/break-glass', { params: { path: { id: entry.id } } })),
    [entry.id],
  );
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [activation, setActivation] = useState<Activation>();
  const [ended, setEnded] = useState(false);

  async function activate(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const trimmed = reason.trim();
    if (!trimmed) return setReasonError('Say why you need emergency access, for example the incident.');
    if (trimmed.length > MAX_REASON) return setReasonError(`Keep the reason under ${MAX_REASON} characters.`);
    setReasonError(undefined);
    setBusy(true);
    try {
      const body = { reason: trimmed };
      const path = { id: entry.id };
      setActivation(
        await ok(api.POST('/api/v1/groups/{id}/break-glass/activations', { params: { path }, body })),
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'reason_required') setReasonError(err.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function end() {
    if (!activation) return;
    setBusy(true);
    try {
      const path = { id: activation.id };
      await ok(api.POST('/api/v1/break-glass/activations/{id}/end', { params: { path }, body: {} }));
      setEnded(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const minutes = settings.data?.durationMinutes;
  const current = entry.breakGlassActivation;
  const description = current ? (
    <p>
      You have break-glass access to <strong>{entry.name}</strong> until{' '}
      <strong>{formatDateTime(current.expiresAt)}</strong>. Activating again{' '}
      <strong>ends that window now</strong> and starts a new one
      {minutes ? ` of ${formatMinutes(minutes)}` : ''} from now, with the new reason below. It is recorded in
      the audit log as a new activation, the owners are told again, and it is reviewed on its own.
    </p>
  ) : (
    <p>
      Break-glass gives you access to <strong>{entry.name}</strong> at once
      {minutes ? `, for ${formatMinutes(minutes)}` : ''}. Use it only in an emergency:{' '}
      <strong>it is recorded in the audit log and shown at once to the group&rsquo;s owners</strong> to review
      afterwards.
    </p>
  );

  if (activation)
    return (
      <Dialog key="active" title={`Break-glass access to ${entry.name}`} onClose={() => onClose(true)}>
        {ended ? (
          <div className="notice notice-success" role="status">
            <p>Break-glass access has ended.</p>
          </div>
        ) : (
          <div className="notice notice-active" role="status">
            <p>
              <strong>Break-glass access is active.</strong>
            </p>
            {activation.deliveries && <p>{activation.deliveries.summary}</p>}
            <p className="big-countdown">
              <Countdown expiresAt={activation.expiresAt} announce />
            </p>
          </div>
        )}
        <ErrorNote error={error} />
        <div className="dialog-actions">
          {!ended && (
            <button type="button" className="button-danger-quiet" onClick={end} disabled={busy}>
              End access now
            </button>
          )}
          <button type="button" className="button-primary" onClick={() => onClose(true)} data-autofocus>
            Done
          </button>
        </div>
      </Dialog>
    );

  return (
    <Dialog
      key="ask"
      title={current ? `Activate again: ${entry.name}` : `Break glass: ${entry.name}`}
      onClose={() => onClose(false)}
      description={description}
    >
      {settings.loading && <Loading what="Reading the break-glass settings" />}
      <form onSubmit={activate} noValidate>
        <Field
          label={current ? 'New reason' : 'Reason'}
          required
          error={reasonError}
          hint="Name the incident or ticket and what you need to do. Reviewers read this."
        >
          {(props) => (
            <textarea
              {...props}
              rows={3}
              maxLength={MAX_REASON}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-autofocus
            />
          )}
        </Field>
        <ErrorNote error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="button-danger" disabled={busy}>
            {busy
              ? 'Activating…'
              : current
                ? 'Activate again with this reason'
                : 'Activate break-glass access'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
