import { CliError } from './client.js';

// Durations people type: `90m`, `2h`, `1d`, `1h30m`, or plain minutes. The API takes whole minutes.

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 };

export function parseDurationMinutes(text: string): number {
  const raw = text.trim().toLowerCase();
  if (/^\d+$/.test(raw) && Number(raw) > 0) return Number(raw);
  const parts = [...raw.matchAll(/(\d+)([mhdw])/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed !== raw)
    throw new CliError(`cannot read duration '${text}': use minutes or forms like 90m, 2h, 1d, 1h30m`, 2);
  const minutes = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MINUTES[p[2]!]!, 0);
  if (minutes <= 0) throw new CliError(`duration '${text}' must be more than zero`, 2);
  return minutes;
}
