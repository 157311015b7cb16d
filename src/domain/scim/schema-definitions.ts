// The SCIM schemas Latch serves (RFC 7643 §4 and §8.7.1): User, the enterprise User extension and Group, as
// served at /Schemas; and the attributes every resource has (RFC 7643 §3.1).

import type { AttributeDef, ResourceType, SchemaDef } from './attributes.js';

export const USER_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA_ID = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:Group';

type Traits = Partial<Omit<AttributeDef, 'name' | 'description'>>;

function attr(name: string, description: string, traits: Traits = {}): AttributeDef {
  return {
    name,
    type: 'string',
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...traits,
  };
}

function complex(
  name: string,
  description: string,
  subAttributes: AttributeDef[],
  traits: Traits = {},
): AttributeDef {
  return attr(name, description, { type: 'complex', subAttributes, ...traits });
}

/** The value/display/type/primary shape RFC 7643 §2.4 gives most multi-valued attributes. */
function plural(
  name: string,
  description: string,
  value: Traits & { description: string },
  types: string[] | undefined,
  traits: Traits = {},
): AttributeDef {
  const { description: valueDescription, ...valueTraits } = value;
  const sub = [
    attr('value', valueDescription, valueTraits),
    attr('display', 'A human-readable name, primarily used for display purposes.'),
    attr('type', `A label indicating the attribute's function.`, types ? { canonicalValues: types } : {}),
    attr('primary', 'Whether this value is the primary or preferred one; at most one value may be primary.', {
      type: 'boolean',
    }),
  ];
  return complex(name, description, sub, { multiValued: true, ...traits });
}

export const USER_SCHEMA: SchemaDef = {
  id: USER_SCHEMA_ID,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'Unique identifier for the User, typically used to sign in. REQUIRED.', {
      required: true,
      uniqueness: 'server',
    }),
    complex('name', "The components of the user's real name.", [
      attr(
        'formatted',
        'The full name, including all middle names, titles, and suffixes, formatted for display.',
      ),
      attr('familyName', 'The family name of the User.'),
      attr('givenName', 'The given name of the User.'),
      attr('middleName', 'The middle name(s) of the User.'),
      attr('honorificPrefix', 'The honorific prefix(es) of the User.'),
      attr('honorificSuffix', 'The honorific suffix(es) of the User.'),
    ]),
    attr('displayName', 'The name of the User, suitable for display to end-users.'),
    attr('nickName', 'The casual way to address the user in real life.'),
    attr('profileUrl', "A fully qualified URL pointing to a page representing the User's online profile.", {
      type: 'reference',
      referenceTypes: ['external'],
    }),
    attr('title', 'The user\'s title, such as "Vice President".'),
    attr('userType', 'Used to identify the relationship between the organization and the user.'),
    attr(
      'preferredLanguage',
      "The User's preferred written or spoken language, as an RFC 7231 language tag.",
    ),
    attr('locale', "The User's default location for localizing items, as a BCP 47 language tag."),
    attr('timezone', "The User's time zone in the IANA Time Zone database format."),
    attr('active', "The User's administrative status.", { type: 'boolean' }),
    attr('password', "The User's cleartext password; never returned.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    plural('emails', 'Email addresses for the user.', { description: 'Email address for the user.' }, [
      'work',
      'home',
      'other',
    ]),
    plural('phoneNumbers', 'Phone numbers for the User.', { description: 'Phone number of the User.' }, [
      'work',
      'home',
      'mobile',
      'fax',
      'pager',
      'other',
    ]),
    plural(
      'ims',
      'Instant messaging addresses for the User.',
      { description: 'Instant messaging address.' },
      ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
    ),
    plural(
      'photos',
      'URLs of photos of the User.',
      { description: 'URL of a photo of the User.', type: 'reference', referenceTypes: ['external'] },
      ['photo', 'thumbnail'],
    ),
    complex(
      'addresses',
      'A physical mailing address for this User.',
      [
        attr('formatted', 'The full mailing address, formatted for display.'),
        attr('streetAddress', 'The full street address component.'),
        attr('locality', 'The city or locality component.'),
        attr('region', 'The state or region component.'),
        attr('postalCode', 'The zip code or postal code component.'),
        attr('country', 'The country name component, as an ISO 3166-1 alpha-2 code.'),
        attr('type', "A label indicating the attribute's function.", {
          canonicalValues: ['work', 'home', 'other'],
        }),
        attr('primary', 'Whether this address is the primary one; at most one may be primary.', {
          type: 'boolean',
        }),
      ],
      { multiValued: true },
    ),
    complex(
      'groups',
      'A list of groups to which the user belongs, either directly or indirectly; managed through Groups.',
      [
        attr('value', "The identifier of the User's group.", { mutability: 'readOnly' }),
        attr('$ref', 'The URI of the corresponding Group resource.', {
          type: 'reference',
          referenceTypes: ['User', 'Group'],
          mutability: 'readOnly',
        }),
        attr('display', 'A human-readable name, primarily used for display purposes.', {
          mutability: 'readOnly',
        }),
        attr('type', 'How the membership is derived.', {
          canonicalValues: ['direct', 'indirect'],
          mutability: 'readOnly',
        }),
      ],
      { multiValued: true, mutability: 'readOnly' },
    ),
    plural(
      'entitlements',
      'A list of entitlements for the User.',
      { description: 'The value of an entitlement.' },
      undefined,
    ),
    plural('roles', 'A list of roles for the User.', { description: 'The value of a role.' }, undefined),
    plural(
      'x509Certificates',
      'A list of certificates issued to the User.',
      { description: 'The value of an X.509 certificate.', type: 'binary', caseExact: true },
      undefined,
    ),
  ],
};

export const ENTERPRISE_USER_SCHEMA: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA_ID,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
    attr('costCenter', 'Identifies the name of a cost center.'),
    attr('organization', 'Identifies the name of an organization.'),
    attr('division', 'Identifies the name of a division.'),
    attr('department', 'Identifies the name of a department.'),
    complex('manager', "The User's manager.", [
      attr('value', "The id of the SCIM resource representing the User's manager."),
      attr('$ref', "The URI of the SCIM resource representing the User's manager.", {
        type: 'reference',
        referenceTypes: ['User'],
      }),
      attr('displayName', "The displayName of the User's manager.", { mutability: 'readOnly' }),
    ]),
  ],
};

export const GROUP_SCHEMA: SchemaDef = {
  id: GROUP_SCHEMA_ID,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'A human-readable name for the Group. REQUIRED.', { required: true }),
    complex(
      'members',
      'A list of members of the Group.',
      [
        // Member values are Latch ids, which are case-sensitive like `id` itself.
        attr('value', 'Identifier of the member of this Group.', {
          mutability: 'immutable',
          caseExact: true,
        }),
        attr('$ref', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
          type: 'reference',
          referenceTypes: ['User', 'Group'],
          mutability: 'immutable',
        }),
        attr('display', 'A human-readable name for the member.', { mutability: 'immutable' }),
        attr('type', 'A label indicating the type of resource.', {
          canonicalValues: ['User', 'Group'],
          mutability: 'immutable',
        }),
      ],
      { multiValued: true },
    ),
  ],
};

export const SCHEMAS_OF: Record<ResourceType, { core: SchemaDef; extensions: SchemaDef[] }> = {
  User: { core: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA] },
  Group: { core: GROUP_SCHEMA, extensions: [] },
};

/** Attributes every resource has (RFC 7643 §3), resolved as part of the core schema but not listed in it. */
export const COMMON_ATTRIBUTES: AttributeDef[] = [
  attr('schemas', 'The schema URIs the resource conforms to.', {
    type: 'reference',
    multiValued: true,
    required: true,
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
  }),
  attr('id', 'A unique identifier for the resource, assigned by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attr('externalId', 'An identifier for the resource as defined by the provisioning client.', {
    caseExact: true,
  }),
  complex(
    'meta',
    'Resource metadata.',
    [
      attr('resourceType', 'The name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      attr('created', 'When the resource was added to the service provider.', {
        type: 'dateTime',
        mutability: 'readOnly',
      }),
      attr('lastModified', 'When the resource was last changed.', {
        type: 'dateTime',
        mutability: 'readOnly',
      }),
      attr('location', 'The URI of the resource being returned.', {
        type: 'reference',
        referenceTypes: ['uri'],
        caseExact: true,
        mutability: 'readOnly',
      }),
      attr('version', 'The version (ETag) of the resource.', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly' },
  ),
];

/** A path resolved against a resource type's schemas. */
