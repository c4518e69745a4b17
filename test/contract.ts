/** The fields of a person-info answer after `success` and `error`, in the order CONTRACT.md 4 fixes. */
export const PERSON_INFO_FIELDS = [
  'name',
  'talkToMe',
  'avatar',
  'email',
  'phone',
  'mobile',
  'companyName',
  'position',
  'available',
  'awayInfo',
  'awayFrom',
  'awayUntil',
  'substitution',
  'onlineState',
];
