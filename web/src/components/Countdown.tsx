import { formatDateTime, formatRemaining, remainingInWords } from '../lib/time';
import { useNow } from '../lib/use-load';

// Time left on a piece of access. The visible clock ticks every second but is not a live region; with
// `announce`, a polite live region speaks the minutes left only when that number changes.

interface Props {
  expiresAt: string | null | undefined;
  announce?: boolean;
  /** Shown when there is no end. */
  noEnd?: string;
}

export function Countdown({ expiresAt, announce, noEnd = 'No end date' }: Props) {
  const now = useNow(1000);
  if (!expiresAt) return <span className="muted">{noEnd}</span>;
  const left = new Date(expiresAt).getTime() - now;
  if (left <= 0) return <span className="badge badge-ended">Ended</span>;
  return (
    <span className="countdown">
      <span role="timer" aria-label={`${remainingInWords(left)}, ends ${formatDateTime(expiresAt)}`}>
        <span className="clock">{formatRemaining(left)}</span> left
      </span>
      <span className="muted small"> · ends {formatDateTime(expiresAt)}</span>
      {announce && (
        <span className="visually-hidden" aria-live="polite" aria-atomic="true">
          {remainingInWords(left)}
        </span>
      )}
    </span>
  );
}
