import type { ReactNode } from 'react';
import { ApiError, detailOf } from '../api/errors';

// How failures and outcomes are shown: a sentence first, the server's detail below it.

export function ErrorNote({ error, context }: { error: unknown; context?: string }) {
  if (!error) return null;
  const forbidden = error instanceof ApiError && error.status === 403 && error.code === 'forbidden';
  const sentence = error instanceof Error ? error.message : String(error);
  const detail = detailOf(error);
  return (
    <div className={`notice ${forbidden ? 'notice-info' : 'notice-error'}`} role="alert">
      <p>
        {context ? <strong>{context} </strong> : null}
        {sentence}
      </p>
      {detail && <p className="notice-detail">{detail}</p>}
    </div>
  );
}

export function Success({ children }: { children: ReactNode }) {
  return (
    <div className="notice notice-success" role="status">
      {children}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted loading" role="status">
      {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
