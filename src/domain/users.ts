// Users and what their role lets them do. Pure: callers pass the acting user in.

export const ROLES = ['admin', 'auditor', 'member'] as const;
export type Role = (typeof ROLES)[number];
export const USER_STATUSES = ['active', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Where a user came from: typed in, first signed in through the identity provider, or pushed by it (SCIM). */
export const USER_SOURCES = ['local', 'oidc', 'scim'] as const;
export type UserSource = (typeof USER_SOURCES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  createdAt: string;
  source: UserSource;
  /** The identity provider's id for the user (SCIM externalId); null for local users. */
  externalId: string | null;
  /** Deprovisioned (SCIM DELETE): suspended for good, kept for history, e-mail released. */
  deprovisionedAt: string | null;
}

export interface Actor {
  id: string;
  role: Role;
}

export const isAdmin = (actor: Actor) => actor.role === 'admin';
/** Auditors read everything that admins read, and change nothing. */
export const canReadAll = (actor: Actor) => actor.role === 'admin' || actor.role === 'auditor';
export const canManageUsers = isAdmin;
/** Admins mint tokens for anyone; everyone else only for themself. */
export const canManageTokensOf = (actor: Actor, userId: string) => isAdmin(actor) || actor.id === userId;

/** E-mail addresses compare case-insensitively; this is the form uniqueness is decided on. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const EMAIL = /^[^\s@]+@[^\s@]+$/;
export const isPlausibleEmail = (email: string) => EMAIL.test(email.trim());
