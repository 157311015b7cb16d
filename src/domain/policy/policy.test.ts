import { describe, expect, it } from 'vitest';
import type { Actor } from '../users.js';
import { abilities, can, policy } from './policy.js';

const admin: Actor = { id: 'usr_admin', role: 'admin' };
const auditor: Actor = { id: 'usr_auditor', role: 'auditor' };
const member: Actor = { id: 'usr_member', role: 'member' };
const owner = { isOwner: true };
const stranger = { isOwner: false };

describe('the authorization policy', () => {
  it('lets admins nest anything, and others only what they manage at both ends', () => {
    const ends = (parent: boolean, child: boolean) => ({
      parent: { isOwner: parent },
      child: { isOwner: child },
    });
    for (const action of ['add', 'remove'] as const) {
      expect(can(admin, 'nesting', action, ends(false, false))).toBe(true);
      expect(can(member, 'nesting', action, ends(true, true))).toBe(true);
      expect(can(member, 'nesting', action, ends(true, false))).toBe(false);
      expect(can(member, 'nesting', action, ends(false, true))).toBe(false);
      expect(can(auditor, 'nesting', action, ends(false, false))).toBe(false);
    }
  });

  it('never lets an auditor change anything it is not itself part of', () => {
    const item = { isOwner: false };
    const changes = Object.keys(policy.item).filter((a) => !['view', 'readAccess'].includes(a));
    for (const action of changes) expect(can(auditor, 'item', action as 'update', item)).toBe(false);
    expect(can(auditor, 'item', 'readAccess', item)).toBe(true);
    expect(can(auditor, 'schedule', 'manage', {})).toBe(false);
    expect(can(auditor, 'audit', 'readAll', {})).toBe(true);
  });

  it('lets the holder, owners and admins end an activation; others see it only as admins, auditors or owners', () => {
    const held = (holderId: string, item = stranger) => ({ holderId, item });
    expect(can(member, 'activation', 'end', held(member.id))).toBe(true);
    expect(can(member, 'activation', 'end', held('usr_x', owner))).toBe(true);
    expect(can(admin, 'activation', 'end', held('usr_x'))).toBe(true);
    expect(can(auditor, 'activation', 'end', held('usr_x'))).toBe(false);
    expect(can(auditor, 'activation', 'view', held('usr_x'))).toBe(true);
    expect(can(member, 'activation', 'view', held('usr_x'))).toBe(false);
  });

  it('never lets the activator review their own activation, whatever their role', () => {
    expect(can(member, 'activation', 'review', { holderId: 'usr_x', item: owner })).toBe(true);
    expect(can(admin, 'activation', 'review', { holderId: admin.id, item: owner })).toBe(false);
    expect(can(member, 'activation', 'review', { holderId: member.id, item: owner })).toBe(false);
    expect(can(auditor, 'activation', 'review', { holderId: 'usr_x', item: stranger })).toBe(false);
  });

  it('shows a request to the people in it, its reviewers and owners; nobody decides their own', () => {
    const r = { requesterId: 'usr_r', targetUserId: 'usr_t', isReviewer: false, ownsAnItem: false };
    expect(can(auditor, 'request', 'view', r)).toBe(true);
    expect(can(member, 'request', 'view', r)).toBe(false);
    expect(can(member, 'request', 'view', { ...r, isReviewer: true })).toBe(true);
    expect(can(member, 'request', 'view', { ...r, ownsAnItem: true })).toBe(true);
    expect(can({ id: 'usr_t', role: 'member' }, 'request', 'view', r)).toBe(true);
    expect(can({ id: 'usr_r', role: 'admin' }, 'request', 'decide', { ...r, isReviewer: true })).toBe(false);
    expect(can(member, 'request', 'decide', { ...r, isReviewer: true })).toBe(true);
  });

  it('lets the holder give up a grant, owners and admins end anyone’s', () => {
    expect(can(member, 'grant', 'revoke', { holderId: member.id, item: stranger })).toBe(true);
    expect(can(member, 'grant', 'revoke', { holderId: 'usr_x', item: owner })).toBe(true);
    expect(can(member, 'grant', 'revoke', { holderId: 'usr_x', item: stranger })).toBe(false);
    expect(can(member, 'grant', 'extend', { holderId: 'usr_x', item: owner })).toBe(false);
  });

  it('answers every action of a kind as abilities', () => {
    const forOwner = abilities(member, 'item', owner);
    expect(Object.keys(forOwner).sort()).toEqual(Object.keys(policy.item).sort());
    expect(forOwner).toMatchObject({ update: true, delete: false, create: false, readAccess: true });
    expect(abilities(member, 'item', stranger)).toMatchObject({ update: false, view: true });
  });
});
