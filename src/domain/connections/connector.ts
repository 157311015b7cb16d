// What the provisioning engine needs from a connected system (a PostgreSQL cluster, an LDAP directory, a SCIM
// service provider): the remote items access can be linked to, who is in one, and adding or removing an
// account. Every change is idempotent (adding a member twice, or removing one who is not there, succeeds and
// says so), so an operation retried after a crash or a timeout never fails for having already happened.

export interface RemoteItem {
  /** Stable id in the target: a role name, a group's DN, a SCIM Group id. */
  remoteId: string;
  name: string;
  /** What it is there: 'role', 'groupOfNames', 'groupOfUniqueNames', 'posixGroup', 'group'. */
  kind: string;
}

export interface TestResult {
  ok: boolean;
  /** What was checked, or why it failed, in words an admin can act on (never a secret). */
  detail: string;
}

export interface ChangeResult {
  /** False when the target was already in the wanted state. */
  changed: boolean;
}

export interface RevokeOptions {
  /** End the account's open sessions too (PostgreSQL: pg_terminate_backend), so ended access cannot linger. */
  terminateSessions?: boolean;
}

/** One account's outcome in a change of many at once. */
export type MemberChange =
  | { account: string; result: 'changed' | 'unchanged' | 'no_account' }
  | { account: string; result: 'refused'; reason: string };

export interface Connector {
  /** Connects and checks the privileges the connector needs; never throws for an unreachable target. */
  test(): Promise<TestResult>;
  /** The items that access can be linked to. */
  remoteItems(): Promise<RemoteItem[]>;
  /** The accounts in a remote item now (for reconciliation and drift). */
  members(remoteId: string): Promise<string[]>;
  /** Whether an account exists in the target (a user without one is reported, never silently skipped). */
  accountExists(account: string): Promise<boolean>;
  addMember(remoteId: string, account: string): Promise<ChangeResult>;
  removeMember(remoteId: string, account: string, options?: RevokeOptions): Promise<ChangeResult>;
  /**
   * Many accounts at once, where the target can (one statement for all): what each single call would have
   * done, per account, or a TargetError for the whole batch. The engine makes single calls without them.
   */
  addMembers?(remoteId: string, accounts: readonly string[]): Promise<MemberChange[]>;
  removeMembers?(
    remoteId: string,
    accounts: readonly string[],
    options?: RevokeOptions,
  ): Promise<MemberChange[]>;
  close(): Promise<void>;
}

/** A failure of the target (down, refusing, timing out), as opposed to a defect: the engine retries these. */
export class TargetError extends Error {
  constructor(
    message: string,
    /** True when retrying later may succeed (connection refused, timeout); false for refusals that will recur. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A kind's settings as checked by its connector: the shown part and the secret part apart. */
export interface ParsedSettings {
  config: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

/**
 * The connectors of every kind, as operations use them: checking settings, and opening a connector for a
 * connection. Given to operations by the composition root, so they never reach for a driver themselves.
 */
export interface ConnectorKinds {
  /** Throws a validation error naming the field (never the value) for settings that are not this kind's. */
  parse(kind: string, config: unknown, secrets: unknown): ParsedSettings;
  open(kind: string, settings: ParsedSettings): Connector;
  /** When two accounts are the same one in this kind of target (LDAP and SCIM ignore case). */
  accountKey(kind: string): (account: string) => string;
}
