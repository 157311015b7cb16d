// Who a calendar event names as on call. PagerDuty's feeds put the person in ATTENDEE (an e-mail, often as
// `mailto:`) and write `On Call - <Name> - <Escalation policy>` as the summary; Google- and Grafana-style
// calendars write `@Name` or an e-mail address in the summary. E-mails come most trustworthy first.

const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/** Where a handle ends: ` - `, `,`, `;`, `(`, `|`, or the next `@handle`. */
const HANDLE_END = /\s[-–—]\s|[,;(|]|\s@/;
const PAGERDUTY = /^on call\s+[-–]\s+(.+?)(?:\s+[-–]\s+.*)?$/i;

const uniqueCaseless = (xs: string[]) => {
  const seen = new Set<string>();
  return xs.filter((x) => x !== '' && !seen.has(x.toLowerCase()) && seen.add(x.toLowerCase()));
};

/** `@handle`s of a summary: an `@` at the start or after a space or separator, not one inside an e-mail. */
export function summaryHandles(summary: string): string[] {
  const out: string[] = [];
  for (let i = summary.indexOf('@'); i !== -1; i = summary.indexOf('@', i + 1)) {
    if (i > 0 && !/[\s,;(|]/.test(summary[i - 1]!)) continue;
    const rest = summary.slice(i + 1);
    const end = rest.search(HANDLE_END);
    out.push((end === -1 ? rest : rest.slice(0, end)).trim());
  }
  return uniqueCaseless(out);
}

/** The e-mails and names an event gives for its person: ATTENDEE e-mails, then the summary's. */
export function eventPeople(summary: string, attendees: string[]): { emails: string[]; names: string[] } {
  const text = summary.trim();
  const emails = uniqueCaseless([
    ...attendees
      .map((a) =>
        a
          .trim()
          .replace(/^mailto:/i, '')
          .trim(),
      )
      .filter((a) => a.includes('@')),
    ...(text.match(EMAIL) ?? []),
  ]);
  const handles = summaryHandles(text);
  const pagerDuty = PAGERDUTY.exec(text)?.[1]?.trim();
  const names = handles.length ? handles : pagerDuty ? [pagerDuty] : text ? [text] : [];
  return { emails, names };
}
