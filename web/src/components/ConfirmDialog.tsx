import { useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';
import { ErrorNote } from './Notice';

// "Are you sure?" for changes that take something away. The action runs here so its error stays in view.

interface Props {
  title: string;
  children: ReactNode;
  confirm: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: (done: boolean) => void;
}

export function ConfirmDialog({ title, children, confirm, danger, onConfirm, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  async function run() {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose(true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return (
    <Dialog title={title} onClose={() => onClose(false)} description={children}>
      <ErrorNote error={error} />
      <div className="dialog-actions">
        <button type="button" onClick={() => onClose(false)} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className={danger ? 'button-danger' : 'button-primary'}
          onClick={run}
          disabled={busy}
        >
          {confirm}
        </button>
      </div>
    </Dialog>
  );
}
