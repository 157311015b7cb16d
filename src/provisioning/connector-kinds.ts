import { invalid } from '../domain/errors.js';
import type { Connector, ConnectorKinds, ParsedSettings } from '../domain/connections/connector.js';
import type { OutboundPolicy } from '../ops/shared/outbound/policy.js';
import {
  ldapConnector,
  parseLdapConfig,
  parseLdapSecrets,
  type LdapConfig,
  type LdapSecrets,
} from './connectors/ldap.js';
import {
  parsePostgresConfig,
  parsePostgresSecrets,
  postgresConnector,
  type PostgresConfig,
  type PostgresSecrets,
} from './connectors/postgres.js';
import {
  parseScimConfig,
  parseScimSecrets,
  scimConnector,
  scimPolicy,
  type ScimConnectorConfig,
  type ScimSecrets,
} from './connectors/scim.js';

// Every kind of connected system, behind the one contract operations use. PostgreSQL and LDAP targets are
// reached at the host the admin configured, as a database driver does; SCIM goes through the guarded outbound
// client, the configured host allowed as the admin chose it, redirects never followed.

interface Kind {
  parse(config: unknown, secrets: unknown): ParsedSettings;
  open(s: ParsedSettings): Connector;
  accountKey: (account: string) => string;
}

const exact = (a: string) => a;
const anyCase = (a: string) => a.toLowerCase();

export function connectorKinds(outbound?: OutboundPolicy): ConnectorKinds {
  const kinds: Record<string, Kind> = {
    postgres: {
      parse: (c, s) => ({ config: { ...parsePostgresConfig(c) }, secrets: { ...parsePostgresSecrets(s) } }),
      open: (s) =>
        postgresConnector(s.config as unknown as PostgresConfig, s.secrets as unknown as PostgresSecrets),
      accountKey: exact,
    },
    ldap: {
      parse: (c, s) => ({ config: { ...parseLdapConfig(c) }, secrets: { ...parseLdapSecrets(s) } }),
      open: (s) => ldapConnector(s.config as unknown as LdapConfig, s.secrets as unknown as LdapSecrets),
      accountKey: anyCase,
    },
    scim: {
      parse: (c, s) => ({ config: { ...parseScimConfig(c) }, secrets: { ...parseScimSecrets(s) } }),
      open: (s) => {
        const config = s.config as unknown as ScimConnectorConfig;
        return scimConnector(config, s.secrets as unknown as ScimSecrets, {
          outbound: scimPolicy(outbound, config),
        });
      },
      accountKey: anyCase,
    },
  };
  const kind = (name: string): Kind => {
    const k = kinds[name];
    if (!k) throw invalid('kind', `must be one of ${Object.keys(kinds).join(', ')}`);
    return k;
  };
  return {
    parse: (name, config, secrets) => kind(name).parse(config, secrets),
    open: (name, settings) => kind(name).open(settings),
    accountKey: (name) => kind(name).accountKey,
  };
}
