import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.js';

describe('where a sign-in returns to', () => {
  it('keeps a path on this origin, with its query and fragment', () => {
    expect(safeReturnTo('/catalog')).toBe('/catalog');
    expect(safeReturnTo('/items/grp_1?tab=members#top')).toBe('/items/grp_1?tab=members#top');
  });

  it.each([
    ['//evil.example'],
    ['https://evil.example/'],
    ['http:evil.example'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['/%2fevil.example'],
    ['/%2Fevil.example'],
    ['/%5cevil.example'],
    ['%2f%2fevil.example'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    ['javascript:alert(1)'],
    ['evil.example'],
    [''],
    [undefined],
    [['/a']],
    ['/' + 'a'.repeat(3000)],
  ])('sends %j to / instead', (raw) => {
    expect(safeReturnTo(raw)).toBe('/');
  });
});
