// How far something has got: a bar, with the same in words beside it for everyone.

interface Props {
  /** What is measured, read with the bar: "Decided". */
  label: string;
  done: number;
  total: number;
  /** Said when there is nothing to do. */
  none?: string;
}

export function ProgressBar({ label, done, total, none = 'Nothing needs a decision.' }: Props) {
  if (total === 0) return <p className="muted small progress-none">{none}</p>;
  const percent = Math.round((done / total) * 100);
  return (
    <div className="progress-line">
      <progress max={total} value={done} aria-label={`${label}: ${done} of ${total}`} />
      <span className="progress-words">
        {done} of {total} decided <span className="muted small">({percent}%)</span>
      </span>
    </div>
  );
}
