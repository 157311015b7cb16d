/** The fields that differ between two versions of a row, for the `changes` of an `*.updated` event. */
export function diffFields<T extends object>(
  before: T,
  after: T,
  keys: (keyof T & string)[],
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of keys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}
