import type { Connection } from '../../api/types';
import { Link } from '../../lib/router';
import { ConnectionActions } from './ConnectionActions';
import { ConnectionFacts, HealthBadge } from './ConnectionFacts';

// One connected system in the list: its name (opening its items and drift), health, settings at a glance, and
// for admins what they can do to it.

interface Props {
  connection: Connection;
  manage: boolean;
  onChanged: (c: Connection) => void;
  onEdit: () => void;
  onDelete: () => void;
}

export function ConnectionCard({ connection: c, manage, ...actions }: Props) {
  return (
    <li className="card">
      <div className="card-head">
        <h3>
          <Link to={`/settings/connections/${c.id}`}>{c.name}</Link>
        </h3>
        <HealthBadge connection={c} />
      </div>
      <ConnectionFacts connection={c} />
      {manage && <ConnectionActions connection={c} {...actions} />}
    </li>
  );
}
