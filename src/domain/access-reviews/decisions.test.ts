import { describe, expect, it } from 'vitest';
import { checkShorten, closingAction, effectKind, parseDecision, restingEffect } from './decisions.js';

const now = new Date('2030-01-01T00:00:00Z');
const field = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code: string; errors: { field: string }[] }).errors[0]!.field;
  }
  return undefined;
};

describe('a decision as given', () => {
  it('needs a comment to revoke', () => {
    expect(field(() => parseDecision({ decision: 'revoke' }, now))).toBe('comment');
    expect(field(() => parseDecision({ decision: 'revoke', comment: '  ' }, now))).toBe('comment');
    expect(parseDecision({ decision: 'revoke', comment: ' left ' }, now)).toEqual({
      decision: 'revoke',
      keepUntil: null,
      comment: 'left',
    });
    expect(parseDecision({ decision: 'keep' }, now).comment).toBeNull();
  });

  it('needs a future keepUntil to shorten, and only then', () => {
    expect(field(() => parseDecision({ decision: 'shorten' }, now))).toBe('keepUntil');
    expect(field(() => parseDecision({ decision: 'shorten', keepUntil: '2029-12-31T00:00:00Z' }, now))).toBe(
      'keepUntil',
    );
    expect(field(() => parseDecision({ decision: 'keep', keepUntil: '2030-02-01T00:00:00Z' }, now))).toBe(
      'keepUntil',
    );
    expect(parseDecision({ decision: 'shorten', keepUntil: '2030-02-01T00:00:00Z' }, now).keepUntil).toEqual(
      new Date('2030-02-01T00:00:00Z'),
    );
  });

  it('shortens grants only, never past their current end', () => {
    const until = new Date('2030-02-01T00:00:00Z');
    expect(field(() => checkShorten('3', { kind: 'edge' }, until))).toBe('rowIds');
    expect(
      field(() => checkShorten('3', { kind: 'grant', grantEnd: new Date('2030-01-20T00:00:00Z') }, until)),
    ).toBe('keepUntil');
    expect(field(() => checkShorten('3', { kind: 'grant', grantEnd: null }, until))).toBeUndefined();
    expect(field(() => checkShorten('3', { kind: 'grant', grantEnd: until }, until))).toBeUndefined();
  });
});

describe('what closing does with a row', () => {
  const row = (
    decision: 'keep' | 'revoke' | 'shorten' | null,
    needsDecision = true,
    keepUntil: Date | null = null,
  ) => ({
    decision,
    keepUntil,
    needsDecision,
  });
  it('applies its decision', () => {
    expect(closingAction(row('keep'), true, now)).toBe('keep');
    expect(closingAction(row('revoke'), false, now)).toBe('revoke');
    expect(closingAction(row('shorten', true, new Date('2030-01-02T00:00:00Z')), false, now)).toBe('shorten');
  });

  it('revokes what was left undecided only with autoRevokeUnreviewed, and only rows that needed a decision', () => {
    expect(closingAction(row(null), true, now)).toBe('revoke');
    expect(closingAction(row(null), false, now)).toBe('none');
    expect(closingAction(row(null, false), true, now)).toBe('none');
  });

  it('ends access now when the date it was kept until has passed', () => {
    expect(closingAction(row('shorten', true, now), false, now)).toBe('revoke');
  });
});

describe('the effect of a row closing did not act on', () => {
  it('is kept, no decision, or no decision needed, counted by the text before the colon', () => {
    expect(restingEffect('keep', true)).toBe('kept');
    expect(restingEffect('keep', false)).toBe('kept');
    expect(restingEffect(null, true)).toBe('no decision');
    expect(restingEffect(null, false)).toBe('no decision needed: the access ends before the deadline');
    expect(effectKind(restingEffect(null, false))).toBe('no decision needed');
    expect(effectKind('revoked')).toBe('revoked');
  });
});
