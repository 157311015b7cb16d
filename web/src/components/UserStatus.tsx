// A person's status as a badge: active, suspended, or deprovisioned by the identity provider (suspended for
// good, kept for history).

export function UserStatus({ user }: { user: { status?: string; deprovisionedAt?: string | null } }) {
  const label = user.deprovisionedAt ? 'deprovisioned' : user.status;
  return <span className={`badge ${user.status === 'active' ? 'badge-ok' : 'badge-ended'}`}>{label}</span>;
}
