import type { Connection } from '../../api/types';
import { Empty } from '../../components/Notice';
import { itemPath, itemWordFor, useLinkedItems } from '../../lib/connections';
import { Link } from '../../lib/router';

// The Latch groups and resources linked to a connection, as Latch records them, for those who may not browse the
// system itself (auditors), or when it cannot be reached.

export function LinkedItemsList({ connection: c }: { connection: Connection }) {
  const linked = useLinkedItems(c.id);
  const word = itemWordFor(c.kind);
  if (linked.length === 0) return <Empty>Nothing here is linked to {c.name} yet.</Empty>;
  return (
    <ul className="plain link-list linked-items">
      {linked.map((i) => (
        <li key={i.id}>
          <Link to={itemPath(i)}>{i.name}</Link>{' '}
          <span className="muted">
            → {word} {i.remote?.remoteName}
            {i.remote?.accessLevel ? ` (holders of ${i.remote.accessLevel})` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
