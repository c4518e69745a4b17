import { Type } from 'typebox';
import { DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT } from '../../service/audit-query.js';
import { ErrorSchema } from './common.js';

/** What every admin route declares for the OpenAPI document: its tag and the operator token. */
export const ADMIN = { tags: ['Admin'], security: [{ adminToken: [] }] };

/** Every admin error is the one Error body; validation problems are 400 with a message naming the field. */
export const adminErrors = { '4xx': ErrorSchema, '5xx': ErrorSchema } as const;

const Text = Type.Union([Type.String(), Type.Null()]);
/** An optional text field of a change: a string sets it, `null` (or an empty string) clears it. */
const Clearable = (description: string) => Type.Optional(Type.Union([Type.String(), Type.Null()], { description }));

const Id = (description: string) =>
  Type.String({ minLength: 1, maxLength: 64, description, examples: ['QAT88PF4NQUB50SOHFLIPQL9RT'] });

// Companies

const Hash = Type.String({ description: 'Hash function of the access token: `sha256` (default) or `md5`.' });
const TimeZone = Type.String({
  description: 'IANA time zone in which absences are judged.',
  examples: ['Europe/Berlin'],
});

export const Company = Type.Object({
  companyId: Type.String(),
  name: Type.String(),
  hash: Type.String(),
  timezone: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const NewCompany = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Display name.' }),
    hash: Type.Optional(Hash),
    timezone: Type.Optional(TimeZone),
  },
  { additionalProperties: false },
);

export const CompanyChange = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1 })), hash: Type.Optional(Hash), timezone: Type.Optional(TimeZone) },
  { additionalProperties: false },
);

export const CompanyWithKey = Type.Object({
  ...Company.properties,
  apiKey: Type.String({ description: 'The secret API key: shown only here and when it is rotated.' }),
});

/** The body of rotate-key is optional; the route reads a missing one as `{}`. */
export const KeyRotation = Type.Object(
  {
    grace: Type.Optional(
      Type.String({ description: 'How long the replaced key keeps working (`30m`, `24h`, `7d`; at most 90 days).' }),
    ),
  },
  { additionalProperties: false },
);

export const RotatedKey = Type.Object({
  companyId: Type.String(),
  apiKey: Type.String(),
  previousKeyValidUntil: Text,
});

export const CompanyParams = Type.Object({ companyId: Id('Identifier of the company.') });
export const CompanyList = Type.Object({ companies: Type.Array(Company) });

// Accounts

const OnlineState = Type.String({ description: '`ONLINE`, `AWAY` or `OFFLINE` (any case).' });

export const Account = Type.Object({
  email: Type.String(),
  name: Type.String(),
  companyId: Text,
  talkToMeId: Type.String(),
  position: Text,
  phone: Text,
  mobile: Text,
  avatar: Text,
  verified: Type.Boolean(),
  locked: Type.Boolean(),
  dnd: Type.Boolean(),
  onlineState: Type.String(),
  awayFrom: Text,
  awayUntil: Text,
  substitution: Text,
  substitutionChannel: Text,
});

const profile = {
  position: Clearable('Job title.'),
  phone: Clearable('Phone number.'),
  mobile: Clearable('Mobile number.'),
  avatar: Clearable('Picture URL.'),
  verified: Type.Optional(Type.Boolean({ description: 'Whether the email address is verified.' })),
  locked: Type.Optional(Type.Boolean({ description: 'A locked account is unavailable and hidden from the public.' })),
  onlineState: Type.Optional(OnlineState),
};

export const NewAccount = Type.Object(
  {
    email: Type.String({ minLength: 1, description: 'Unique, case-insensitively.' }),
    name: Type.String({ minLength: 1 }),
    companyId: Type.Optional(Id('The company of the account; none when left out.')),
    ...profile,
  },
  { additionalProperties: false },
);

export const AccountChange = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1 })), ...profile },
  { additionalProperties: false },
);

export const AccountParams = Type.Object({
  email: Type.String({ minLength: 1, description: 'Email of the account.' }),
});
export const AccountFilter = Type.Object(
  { companyId: Type.Optional(Id('Only the accounts of this company.')) },
  { additionalProperties: false },
);
export const AccountList = Type.Object({ accounts: Type.Array(Account) });

// Channels

export const Channel = Type.Object({
  channelId: Type.String(),
  companyId: Type.String(),
  name: Type.String(),
  members: Type.Array(Type.String(), { description: 'Emails of the members.' }),
});

export const NewChannel = Type.Object(
  {
    companyId: Id('The company of the channel.'),
    name: Type.String({ minLength: 1 }),
    members: Type.Optional(Type.Array(Type.String(), { description: 'Emails of accounts of the company.' })),
  },
  { additionalProperties: false },
);

export const ChannelParams = Type.Object({ channelId: Id('Identifier of the channel.') });
export const MemberParams = Type.Object({ ...ChannelParams.properties, email: AccountParams.properties.email });
export const ChannelFilter = Type.Object(
  { companyId: Id('The company whose channels are listed.') },
  { additionalProperties: false },
);
export const ChannelList = Type.Object({ channels: Type.Array(Channel) });

// Audit trail

export const AuditQuery = Type.Object(
  {
    companyId: Type.Optional(Id('Only entries of this company.')),
    action: Type.Optional(Type.String({ description: 'Exact action.', examples: ['account.update'] })),
    actor: Type.Optional(Type.String({ description: 'Exact actor.', examples: ['admin', 'cli:alice'] })),
    subject: Type.Optional(Type.String({ description: 'Exact subject.', examples: ['account:anna@demo.example'] })),
    since: Type.Optional(
      Type.String({ description: 'Entries at or after: `YYYY-MM-DD` (midnight UTC) or an ISO 8601 date-time.' }),
    ),
    until: Type.Optional(Type.String({ description: 'Entries before: `YYYY-MM-DD` or an ISO 8601 date-time.' })),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_AUDIT_LIMIT,
        default: DEFAULT_AUDIT_LIMIT,
        description: 'Entries per page.',
      }),
    ),
    cursor: Type.Optional(Type.String({ description: 'The `nextCursor` of the previous page.' })),
  },
  { additionalProperties: false },
);

export const AuditPage = Type.Object({
  entries: Type.Array(
    Type.Object({
      id: Type.Integer(),
      at: Type.String({ format: 'date-time' }),
      actor: Type.String(),
      action: Type.String(),
      companyId: Text,
      subject: Type.String(),
      before: Type.Unknown(),
      after: Type.Unknown(),
    }),
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Null on the last page.' }),
});

// CSV import

export const ImportQuery = Type.Object(
  {
    atomic: Type.Optional(
      Type.Boolean({ default: false, description: 'Create no account at all when any row fails.' }),
    ),
  },
  { additionalProperties: false },
);

export const ImportCsv = Type.String({
  description:
    'CSV with a header row naming the columns: email and name (required), position, phone, mobile, avatar, verified, locked.',
  examples: ['email,name,position,verified\r\nanna@example.com,Anna,Sales,true\r\n'],
});

const RowErrors = Type.Array(
  Type.Object({ row: Type.Integer({ description: 'Row of the file; the header is row 1.' }), message: Type.String() }),
);

export const ImportResult = Type.Object({ created: Type.Integer(), errors: RowErrors });

export const ImportRejected = Type.Object({
  success: Type.Literal(false),
  error: Type.Literal(true),
  message: Type.String(),
  // Only when atomic=true rejected the file; other 400 answers are the plain Error body.
  created: Type.Optional(Type.Literal(0)),
  errors: Type.Optional(RowErrors),
});
