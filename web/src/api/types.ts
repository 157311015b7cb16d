import type { components, paths } from './schema';

// Short names for the shapes the screens use.

type S = components['schemas'];
export type User = S['User'];
/** The signed-in user, with what they may do beyond single items. */
export type Me = S['Me'];
export type Group = S['Group'];
export type Resource = S['Resource'];
export type Grant = S['Grant'];
export type Asset = S['Asset'];
export type AccessPath = S['AccessPath'];
export type Activation = S['BreakGlassActivation'];
export type BreakGlassSettings = S['BreakGlassSettings'];
export type CatalogEntry = S['CatalogEntry'];
export type RequestTerms = NonNullable<CatalogEntry['requestTerms']>;
export type AccessRequest = S['Request'];
export type RequestItem = S['RequestItem'];
export type RequestConfiguration = S['RequestConfiguration'];
export type ReviewerStage = S['ReviewerStage'];
export type AuditEvent = S['Event'];
export type Token = S['Token'];
export type Channel = S['NotificationChannel'];
export type GrantSource = Grant['source'];
export type SessionInfo = S['Session'];
export type OnCallSchedule = S['OnCallSchedule'];
export type OnCallProvider = OnCallSchedule['provider'];
type OnCallNow =
  paths['/api/v1/on-call-schedules/{id}/on-call']['get']['responses'][200]['content']['application/json'];
export type OnCallShift = OnCallNow['items'][number];

/** A group or a resource (at a level): what access is about. */
export type ItemRef = { groupId: string } | { resourceId: string; accessLevel: string };
export type Inbox = paths['/api/v1/inbox']['get']['responses'][200]['content']['application/json'];
export type InboxItem = Inbox['items'][number];

/** Connected systems: a connection, the items in it access can be linked to, and drift found there. */
export type Connection = S['Connection'];
export type ConnectionKind = Connection['kind'];
export type AccountRule = Connection['accountRule'];
export type RemoteLink = NonNullable<Group['remote']>;
type RemoteItems =
  paths['/api/v1/connections/{id}/remote-items']['get']['responses'][200]['content']['application/json'];
export type RemoteItem = RemoteItems['items'][number];
type DriftList =
  paths['/api/v1/connections/{id}/drift']['get']['responses'][200]['content']['application/json'];
export type Drift = DriftList['items'][number];
/** Where one person's access stands in the item's connected system. */
export type Propagation = S['CheckResult']['propagation'];

/** Access reviews: a campaign, one of its rows (a person's access to an item, and what gives it), a decision. */
export type AccessReview = S['AccessReview'];
export type AccessReviewRow = S['AccessReviewRow'];
export type ReviewDecision = NonNullable<AccessReviewRow['decision']>;
export type NewAccessReview =
  paths['/api/v1/access-reviews']['post']['requestBody']['content']['application/json'];
export type ReviewerType = AccessReview['reviewers']['type'];
