import { Type } from 'typebox';
import { CompanyId, Email, Key } from './common.js';

export const IsAccountParams = Type.Object({
  companyId: CompanyId,
  email: Email('The email address to check for an account.'),
  key: Type.Optional(Key),
});

export const IsAccountAnswer = Type.Object({
  success: Type.Literal(true),
  error: Type.Literal(false),
  exists: Type.Boolean(),
  verified: Type.Optional(Type.Boolean({ description: 'Present only when the account belongs to your company.' })),
});
