import { useState } from 'react';

// A secret shown exactly once (an API or SCIM token), with a copy button and a way to dismiss it.

export function SecretNotice({
  name,
  secret,
  what = 'token',
  onDone,
}: {
  name: string;
  secret: string;
  what?: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard?.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }
  return (
    <div className="notice notice-secret" role="status">
      <p>
        <strong>
          Copy the {what} “{name}” now.
        </strong>{' '}
        It is shown only this once.
      </p>
      <p className="secret">
        <code>{secret}</code>
      </p>
      <div className="row-actions">
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : `Copy ${what}`}
        </button>
        <button type="button" className="button-quiet" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </div>
  );
}
