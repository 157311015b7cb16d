import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { Connection } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useLinkedItems } from '../../lib/connections';

// Removing a connection. One with linked items is refused by the API, since the access Latch gave in the system
// would stay there with nobody to take it out; the dialog names those items and says what to do instead.

export function DeleteConnectionDialog({
  connection: c,
  onClose,
}: {
  connection: Connection;
  onClose: (done: boolean) => void;
}) {
  const linked = useLinkedItems(c.id);
  const unlinkFirst = (names: string[]) =>
    `${c.name} still has linked items${names.length ? ` (${names.join(', ')})` : ''}. Unlink them on their ` +
    'pages first: Latch then takes out the access it gave in the system, and the connection can go.';

  async function remove() {
    try {
      await ok(api.DELETE('/api/v1/connections/{id}', { params: { path: { id: c.id } } }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409)
        throw new Error(unlinkFirst(linked.map((l) => l.name)));
      throw err;
    }
  }

  return (
    <ConfirmDialog
      title={`Delete the connection “${c.name}”?`}
      confirm="Delete connection"
      danger
      onConfirm={remove}
      onClose={onClose}
    >
      {linked.length > 0 ? (
        <p>{unlinkFirst(linked.map((l) => l.name))}</p>
      ) : (
        <p>
          Latch stops keeping {c.name} in step and forgets its settings and secret. Nothing is changed in the
          system itself.
        </p>
      )}
    </ConfirmDialog>
  );
}
