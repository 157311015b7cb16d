import { describe, expect, it } from 'vitest';
import { eventPeople, summaryHandles } from './shift-people.js';

describe('the people a calendar event names', () => {
  it('reads a handle to the end of the summary or to a separator', () => {
    expect(summaryHandles('@Bernard Desruisseaux')).toEqual(['Bernard Desruisseaux']);
    expect(summaryHandles('@Bob - primary')).toEqual(['Bob']);
    expect(summaryHandles('@Ana, @Bo; @Cy (backup)')).toEqual(['Ana', 'Bo', 'Cy']);
    expect(summaryHandles('@Ana @Bo')).toEqual(['Ana', 'Bo']);
  });

  it('does not take the @ of an e-mail address for a handle', () => {
    expect(summaryHandles('Test@TEST.test')).toEqual([]);
    expect(eventPeople('Test@TEST.test', []).emails).toEqual(['Test@TEST.test']);
  });

  it('puts ATTENDEE e-mails first, without mailto: in any case, then those of the summary', () => {
    const people = eventPeople('Primary: cy@example.com', [
      'MAILTO:Ana@Example.com',
      'mailto:bo@example.com ',
    ]);
    expect(people.emails).toEqual(['Ana@Example.com', 'bo@example.com', 'cy@example.com']);
    expect(eventPeople('x', ['mailto:ana@example.com', 'MAILTO:ANA@example.com']).emails).toEqual([
      'ana@example.com',
    ]);
  });

  it("reads PagerDuty's `On Call - <Name> - <Policy>` summary", () => {
    expect(eventPeople('On Call - Ana Lopez - Default Escalation', []).names).toEqual(['Ana Lopez']);
    expect(eventPeople('On Call - Ana Lopez', []).names).toEqual(['Ana Lopez']);
  });

  it('takes the whole summary as a name when nothing else names the person', () => {
    expect(eventPeople('  Ana Lopez ', [])).toEqual({ emails: [], names: ['Ana Lopez'] });
    expect(eventPeople('', [])).toEqual({ emails: [], names: [] });
  });
});
