import { Type } from 'typebox';
import { CompanyId, Email, Flag, Key } from './common.js';

export const DoNotDisturbParams = Type.Object({
  accountEmail: Email('Email of the user. Their account must belong to your company and must not be locked.'),
  companyId: CompanyId,
  key: Type.Optional(Key),
  dnd: Type.Optional(Flag('New do-not-disturb status; true when missing.')),
});
