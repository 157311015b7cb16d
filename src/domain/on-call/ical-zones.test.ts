import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { anchorFloatingTimes, withFeedZones, type JCal } from './ical-zones.js';

const calendar = (...lines: string[]) =>
  ICAL.parse(['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR'].join('\r\n')) as JCal;
const event = (...lines: string[]) => ['BEGIN:VEVENT', 'UID:e', ...lines, 'END:VEVENT'];
const startOf = (root: ICAL.Component) =>
  (root.getFirstSubcomponent('vevent')!.getFirstPropertyValue('dtstart') as ICAL.Time)
    .toJSDate()
    .toISOString();

describe('feed time zones', () => {
  it('gives floating date-times the default zone and leaves UTC and dates alone', () => {
    const cal = calendar(
      ...event('DTSTART:20210301T090000', 'DTEND:20210301T170000Z', 'EXDATE;VALUE=DATE:20210302'),
    );
    expect([...anchorFloatingTimes(cal, 'Europe/Berlin')]).toEqual(['Europe/Berlin']);
    const root = new ICAL.Component(cal);
    expect(withFeedZones(root, new Set(['Europe/Berlin']), 'UTC', () => startOf(root))).toBe(
      '2021-03-01T08:00:00.000Z',
    );
  });

  it('reads a TZID without VTIMEZONE as the IANA zone of that name, and leaves an unknown one floating', () => {
    const zoneOf = (tzid: string) => {
      const cal = calendar(...event(`DTSTART;TZID=${tzid}:20210701T090000`));
      const root = new ICAL.Component(cal);
      return withFeedZones(root, anchorFloatingTimes(cal, 'UTC'), 'UTC', () => {
        const t = root.getFirstSubcomponent('vevent')!.getFirstPropertyValue('dtstart') as ICAL.Time;
        return {
          floating: t.zone === ICAL.Timezone.localTimezone,
          utc: new Date(t.toUnixTime() * 1000).toISOString(),
        };
      });
    };
    expect(zoneOf('America/New_York')).toEqual({ floating: false, utc: '2021-07-01T13:00:00.000Z' });
    expect(zoneOf('Romance Standard Time').floating).toBe(true);
  });

  it("prefers the feed's VTIMEZONE to the IANA zone of the same name", () => {
    const cal = calendar(
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:STANDARD',
      'TZOFFSETFROM:+0300',
      'TZOFFSETTO:+0300',
      'DTSTART:19700101T000000',
      'END:STANDARD',
      'END:VTIMEZONE',
      ...event('DTSTART;TZID=Europe/Berlin:20210701T090000'),
    );
    const root = new ICAL.Component(cal);
    expect(withFeedZones(root, anchorFloatingTimes(cal, 'UTC'), 'UTC', () => startOf(root))).toBe(
      '2021-07-01T06:00:00.000Z',
    );
  });

  it('registers zones only while the feed is read, and puts back what was registered before', () => {
    const before = new ICAL.Timezone({ tzid: 'Europe/Oslo' });
    ICAL.TimezoneService.register(before, 'Europe/Oslo');
    const cal = calendar(
      ...event('DTSTART;TZID=Europe/Oslo:20210701T090000', 'DTEND;TZID=Asia/Tokyo:20210701T170000'),
    );
    const root = new ICAL.Component(cal);
    withFeedZones(root, anchorFloatingTimes(cal, 'UTC'), 'UTC', () => {
      expect(ICAL.TimezoneService.get('Asia/Tokyo')).toBeDefined();
      expect(ICAL.TimezoneService.get('Europe/Oslo')).not.toBe(before);
    });
    expect(ICAL.TimezoneService.has('Asia/Tokyo')).toBe(false);
    expect(ICAL.TimezoneService.get('Europe/Oslo')).toBe(before);
    ICAL.TimezoneService.remove('Europe/Oslo');
  });
});
