import { Type } from 'typebox';
import { CompanyId, Email, Identifier, IsoDate, Key } from './common.js';

export const OutOfOfficeParams = Type.Object({
  accountEmail: Email('Email of the user. Their account must belong to your company and must not be locked.'),
  companyId: CompanyId,
  key: Type.Optional(Key),
  awayFrom: Type.Optional(IsoDate('First day of the absence. Cleared when missing.')),
  awayUntil: Type.Optional(IsoDate('Last day of the absence. Cleared when missing.')),
  substitution: Type.Optional(
    Type.String({
      description:
        'Email or talk-to-me identifier of the substitute account. Ignored when substitutionChannel is given.',
    }),
  ),
  substitutionChannel: Type.Optional(Identifier('Identifier of the channel that receives the messages.')),
});
