import { type TObject, Type } from 'typebox';

/** The one error body of every 4xx and 5xx answer. */
export const ErrorSchema = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.Literal(true),
    message: Type.String(),
  },
  { $id: 'Error', description: 'Every error answer: 4xx and 5xx.' },
);

/** The answer of the writing endpoints. */
export const SavedSchema = Type.Object({
  success: Type.Literal(true),
  error: Type.Literal(false),
  message: Type.Literal('The changes have been saved'),
});

export const CompanyId = Type.String({
  description: 'Identifier of your company as shown on the profile page.',
  examples: ['JSOM3ACS72QAJ2I1IM1D5VNFGR'],
});

export const Key = Type.String({
  description:
    'Daily access token computed from your API key (see Authentication). May instead be sent in the Authorization header, bare or as `Bearer <token>`; the header wins.',
  examples: ['6386086c1280c0f76b2c6cfbd3acd4dc21354f21495bd0091706aa3a738e1177'],
});

export const Email = (description: string) => Type.String({ format: 'email', maxLength: 254, description });

export const IsoDate = (description: string) =>
  Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description, examples: ['2023-08-01'] });

export const Identifier = (description: string) =>
  Type.String({ pattern: '^[A-Za-z0-9]{26}$', description, examples: ['QAT88PF4NQUB50SOHFLIPQL9RT'] });

/** true/false, 1/0, yes/no, on/off in any case; a JSON body may send a boolean. */
export const Flag = (description: string) =>
  Type.Union([Type.Boolean(), Type.String({ examples: ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'] })], {
    description,
  });

/** The parameters of an endpoint, in the reference's table order. */
export type ParameterSchema = TObject;

/** Answers every endpoint can give besides its success. */
export const errorResponses = {
  '4xx': ErrorSchema,
  '5xx': ErrorSchema,
} as const;
