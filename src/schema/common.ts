// Building blocks shared by the file schemas. Each is a plain JSON Schema
// fragment declared `as const` so that json-schema-to-ts derives the
// TypeScript types from the very objects ajv validates with.
//
// `title` names the value in diagnostics and `description` explains the rule
// when a pattern fails; every `pattern` is anchored (^…$) because the AWS
// provider's own regexes are not, and kept free of nested quantifiers.

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
export const SCHEMA_BASE_URL = 'https://accessctl.dev/schemas/';

export const login = {
  type: 'string',
  title: 'Okta login',
  description: 'an Okta login in email form, such as alice@example.com: letters, digits and . _ + \' - before the @, a domain after it',
  minLength: 3,
  maxLength: 254,
  pattern: "^[\\p{L}\\p{N}._+'-]+@[\\p{L}\\p{N}-]+(\\.[\\p{L}\\p{N}-]+)+$",
} as const;

export const accountId = {
  type: 'string',
  title: 'AWS account id',
  description: 'exactly 12 digits, written as a quoted string',
  pattern: '^[0-9]{12}$',
} as const;

export const accountName = {
  type: 'string',
  title: 'account name',
  description: '1-50 characters: letters, digits, space and . _ + @ -, starting with a letter or digit, and not 12 digits (that is an account id)',
  pattern: '^(?![0-9]{12}$)[A-Za-z0-9][A-Za-z0-9 ._+@-]{0,49}$',
} as const;

/** An account named in a grant: its name or its 12-digit id. */
export const accountRef = {
  type: 'string',
  title: 'account name or id',
  description: 'an account name from accounts.yaml or a 12-digit account id in quotes',
  minLength: 1,
  maxLength: 50,
} as const;

export const ouPath = {
  type: 'string',
  title: 'OU path',
  description: 'OU names from the root joined by "/", such as Workloads/Prod',
  pattern: '^[^/*]+(/[^/*]+)*$',
  maxLength: 1024,
} as const;

export const ouGlob = {
  type: 'string',
  title: 'OU glob',
  description: 'an OU path of at most 16 segments and 256 characters in which "*" matches within one segment and "**" any number of segments, such as ' +
      'Workloads/*',
  minLength: 1,
  maxLength: 256,
  pattern: '^[^/]+(/[^/]+){0,15}$',
} as const;

export const groupName = {
  type: 'string',
  title: 'group name',
  description: '1-255 characters: letters, digits, space and . _ @ + = , & ( ) -, starting and ending with a letter, digit or symbol other than space',
  pattern: '^[A-Za-z0-9]([A-Za-z0-9 ._@+=,&()-]{0,253}[A-Za-z0-9._@+=,&()-])?$',
} as const;

export const permissionSetName = {
  type: 'string',
  title: 'permission set name',
  description: '1-32 characters from letters, digits and + = , . @ _ - (the AWS limit)',
  pattern: '^[\\w+=,.@-]{1,32}$',
} as const;

export const appKey = {
  type: 'string',
  title: 'app key',
  description: 'a key of settings.yaml okta.apps: lower case letters, digits and -',
  pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
} as const;

export const isoDate = {
  type: 'string',
  title: 'date',
  description: 'a calendar date written YYYY-MM-DD',
  format: 'date',
} as const;

/** When a membership or waiver ends: a whole day, or (break-glass access, hours long) a UTC time. */
export const expiry = {
  type: 'string',
  title: 'date',
  description: 'the last day of access written YYYY-MM-DD, or the UTC time it ends written YYYY-MM-DDTHH:MMZ',
  format: 'expiry',
} as const;

export const isoDuration = {
  type: 'string',
  title: 'ISO 8601 duration',
  description: 'an ISO 8601 duration such as PT1H or PT1H30M',
  pattern: '^PT(?=[0-9])([0-9]{1,3}H)?([0-9]{1,4}M)?([0-9]{1,6}S)?$',
} as const;

export const tags = {
  type: 'object',
  title: 'tags',
  maxProperties: 50,
  propertyNames: {
    type: 'string',
    title: 'tag key',
    description: '1-128 characters: letters, digits, space and _ . : / = + - @',
    pattern: '^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]{1,128}$',
  },
  additionalProperties: {
    type: 'string',
    title: 'tag value',
    description: 'at most 256 characters: letters, digits, space and _ . : / = + - @',
    pattern: '^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]{0,256}$',
  },
} as const;

export const httpsUrl = {
  type: 'string',
  title: 'URL',
  description: 'an https:// URL',
  format: 'uri',
  pattern: '^https://[^\\s]+$',
  maxLength: 2048,
} as const;
