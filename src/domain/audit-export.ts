import type { ChainedEvent } from './audit-chain.js';
import { csvLine } from './csv.js';

// The audit log as files an auditor takes away: CSV for spreadsheets, JSON lines for tools. Each event carries
// the names of its actor and subjects as they are now, beside their ids. CSV cells are made safe to open by
// src/domain/csv.ts, so an exported reason cannot execute anything.

export { csvLine };

export interface NamedEvent extends ChainedEvent {
  actor: { id: string; name: string; email: string } | null;
  subjectNames: Record<string, string>;
}

export const CSV_HEADER = [
  'seq',
  'created_at',
  'type',
  'actor_id',
  'actor_name',
  'actor_email',
  'subjects',
  'data',
  'hash',
] as const;

const subjectsText = (e: NamedEvent) =>
  e.subjects
    .map((s) => `${s.type}:${s.id}${e.subjectNames[s.id] ? ` (${e.subjectNames[s.id]})` : ''}`)
    .join('; ');

export function eventCsvLine(e: NamedEvent): string {
  return csvLine([
    String(e.seq),
    e.createdAt,
    e.type,
    e.actorId ?? '',
    e.actor?.name ?? '',
    e.actor?.email ?? '',
    subjectsText(e),
    JSON.stringify(e.data ?? null),
    e.hash,
  ]);
}

export function eventJsonLine(e: NamedEvent): string {
  return `${JSON.stringify({
    seq: e.seq,
    id: e.id,
    createdAt: e.createdAt,
    type: e.type,
    actor: e.actor,
    subjects: e.subjects.map((s) => ({ ...s, name: e.subjectNames[s.id] ?? null })),
    data: e.data ?? null,
    hash: e.hash,
    prevHash: e.prevHash,
  })}\n`;
}
