// The vocabulary of on-call schedules. A provider (builtin rotation, iCalendar feed, PagerDuty, Opsgenie)
// reports shifts naming people its own way; matching turns them into shifts of Latch users. Pure types.

export const ON_CALL_PROVIDERS = ['builtin', 'ical', 'pagerduty', 'opsgenie'] as const;
export type OnCallProvider = (typeof ON_CALL_PROVIDERS)[number];

/** One stretch of time during which someone is on call, as the provider reports it: [start, end). */
export interface ProviderShift {
  start: Date;
  end: Date;
  /** E-mail addresses naming the person, most trustworthy first (ATTENDEE, the provider's user e-mail, SUMMARY). */
  emails: string[];
  /** Handles or names naming the person (`@Bob` in a SUMMARY gives `Bob`, a provider's user name). */
  names: string[];
  /** What the provider called the shift (an event's SUMMARY, a user's name), shown for unmatched shifts. */
  label: string;
}

/** A shift of a Latch user: [start, end). */
export interface Shift {
  userId: string;
  start: Date;
  end: Date;
}

/** A provider shift no Latch user could be matched to: reported on the schedule, never dropped silently. */
export interface UnmatchedShift {
  label: string;
  emails: string[];
  names: string[];
  start: Date;
  end: Date;
}

/** Who a shift may be matched to. */
export interface DirectoryUser {
  id: string;
  email: string;
  name: string;
}

export interface BuiltinLayer {
  /** The first handoff: an instant; for whole-day shifts its wall-clock time in the zone is the handoff time. */
  start: string;
  /** Shift length in whole minutes (the usual form) ... */
  shiftMinutes?: number;
  /** ... or in whole seconds, for fine-grained rotations. Exactly one of the two is set. */
  shiftSeconds?: number;
  /** Participants in rotation order; the first takes the shift beginning at `start`. */
  userIds: string[];
  /** Optional end of the layer (exclusive). */
  end?: string | null;
}

export interface BuiltinOverride {
  userId: string;
  start: string;
  end: string;
}

export interface BuiltinConfig {
  /** IANA time zone the rotation's handoffs keep to across DST changes. */
  timezone: string;
  /** Later layers win over earlier ones wherever they have someone on call. */
  layers: BuiltinLayer[];
  /** An override covers its period, over every layer. */
  overrides?: BuiltinOverride[];
}
