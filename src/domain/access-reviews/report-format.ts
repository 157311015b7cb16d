import { csvLine } from '../csv.js';

// A campaign's report as files: CSV for spreadsheets, and a printable HTML page. Both are written a row at a
// time (the caller streams them); every value people or systems typed is escaped for its format.

export const REPORT_CSV_HEADER = [
  'user_email',
  'item_type',
  'item_name',
  'access_level',
  'path',
  'reviewer_emails',
  'decision',
  'keep_until',
  'decided_by',
  'decided_at',
  'comment',
  'effect',
] as const;

export interface ReportLine {
  userEmail: string;
  itemType: 'group' | 'resource';
  itemName: string;
  accessLevel: string | null;
  /** Names from the group the user's grant is on down to the item. */
  path: string[];
  reviewerEmails: string[];
  decision: string | null;
  keepUntil: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  effect: string | null;
}

const cells = (l: ReportLine): string[] => [
  l.userEmail,
  l.itemType,
  l.itemName,
  l.accessLevel ?? '',
  l.path.join(' > '),
  l.reviewerEmails.join('; '),
  l.decision ?? '',
  l.keepUntil ?? '',
  l.decidedBy ?? '',
  l.decidedAt ?? '',
  l.comment ?? '',
  l.effect ?? '',
];

export const reportCsvHeader = () => csvLine(REPORT_CSV_HEADER);
export const reportCsvLine = (l: ReportLine) => csvLine(cells(l));

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

export interface ReportTitle {
  name: string;
  status: string;
  deadline: string;
  closedAt: string | null;
  total: number;
  decided: number;
}

/** The page up to the table's body: no script, no external resource, styles inline for printing. */
export function reportHtmlStart(t: ReportTitle): string {
  const facts = [
    ['Status', t.status],
    ['Deadline', t.deadline],
    ['Closed at', t.closedAt ?? '—'],
    ['Decided', `${t.decided} of ${t.total} rows that need a decision`],
  ]
    .map(([k, v]) => `<dt>${escapeHtml(k!)}</dt><dd>${escapeHtml(v!)}</dd>`)
    .join('');
  const head = REPORT_CSV_HEADER.map((h) => `<th>${escapeHtml(h.replace(/_/g, ' '))}</th>`).join('');
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<title>Access review: ${escapeHtml(t.name)}</title>` +
    '<style>body{font:12px sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}' +
    'th,td{border:1px solid #999;padding:2px 4px;text-align:left;vertical-align:top}' +
    'dt{font-weight:bold;float:left;clear:left;width:8em}dd{margin-left:8.5em}' +
    '@media print{tr{break-inside:avoid}}</style></head><body>\n' +
    `<h1>Access review: ${escapeHtml(t.name)}</h1><dl>${facts}</dl>\n<table><thead><tr>${head}</tr></thead><tbody>\n`
  );
}

export const reportHtmlRow = (l: ReportLine) =>
  `<tr>${cells(l)
    .map((c) => `<td>${escapeHtml(c)}</td>`)
    .join('')}</tr>\n`;

export const reportHtmlEnd = () => '</tbody></table></body></html>\n';
