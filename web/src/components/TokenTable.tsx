import { formatDateTime } from '../lib/time';

// Live tokens (API or SCIM): when each was made, until when it works, when it was last used, and Revoke.

export interface TokenRow {
  id: string;
  name: string;
  createdAt: string;
  expiresAt?: string | null;
  lastUsedAt: string | null;
}

export function TokenTable<T extends TokenRow>({
  tokens,
  showExpiry,
  onRevoke,
}: {
  tokens: T[];
  showExpiry: boolean;
  onRevoke: (token: T) => void;
}) {
  return (
    <table className="data cards">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Created</th>
          {showExpiry && <th scope="col">Expires</th>}
          <th scope="col">Last used</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((t) => (
          <tr key={t.id}>
            <th scope="row" data-label="Name">
              {t.name}
            </th>
            <td data-label="Created">{formatDateTime(t.createdAt)}</td>
            {showExpiry && (
              <td data-label="Expires">{t.expiresAt ? formatDateTime(t.expiresAt) : 'Never'}</td>
            )}
            <td data-label="Last used">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</td>
            <td className="actions">
              <button
                type="button"
                className="button-quiet"
                aria-label={`Revoke ${t.name}`}
                onClick={() => onRevoke(t)}
              >
                Revoke
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
