import { Type } from 'typebox';
import { CompanyId, Email, Identifier, Key } from './common.js';

export const PersonInfoParams = Type.Object({
  companyId: Type.Optional(CompanyId),
  key: Type.Optional(Key),
  talkToMeId: Type.Optional(
    Identifier('The talk-to-me identifier of the account. Public: needs no authentication. Wins over email.'),
  ),
  email: Type.Optional(Email('The email address of an account of your company. Requires companyId and key.')),
});

const Text = Type.Union([Type.String(), Type.Null()]);
const Day = Type.Union([Type.String({ format: 'date' }), Type.Null()]);

export const PersonInfoAnswer = Type.Object({
  success: Type.Literal(true),
  error: Type.Literal(false),
  name: Type.String(),
  talkToMe: Type.String(),
  avatar: Text,
  email: Type.String({ description: 'Empty unless your company owns the account.' }),
  phone: Text,
  mobile: Text,
  companyName: Text,
  position: Text,
  available: Type.Boolean(),
  awayInfo: Text,
  awayFrom: Day,
  awayUntil: Day,
  substitution: Type.String(),
  onlineState: Type.Union([Type.Literal('ONLINE'), Type.Literal('AWAY'), Type.Literal('OFFLINE')]),
});
