import { viewAbsence } from './absence.js';
import type { IsoDate } from './calendar.js';
import type { OnlineState } from './online-state.js';

/** An account as person-info sees it, with the names shown beside it. */
export interface PersonRecord {
  name: string;
  talkToMeId: string;
  email: string;
  avatar: string | null;
  phone: string | null;
  mobile: string | null;
  position: string | null;
  companyName: string | null;
  locked: boolean;
  onlineState: OnlineState;
  awayFrom: IsoDate | null;
  awayUntil: IsoDate | null;
  substituteAccountName: string | null;
  substituteChannelName: string | null;
}

/** The fields of a person-info answer, in the contract's order. */
export interface PersonInfo {
  name: string;
  talkToMe: string;
  avatar: string | null;
  email: string;
  phone: string | null;
  mobile: string | null;
  companyName: string | null;
  position: string | null;
  available: boolean;
  awayInfo: string | null;
  awayFrom: IsoDate | null;
  awayUntil: IsoDate | null;
  substitution: string;
  onlineState: OnlineState;
}

/**
 * What person-info says of a person on `today` (the calendar day in their company's time zone).
 * The email is shown only to the person's own company.
 */
export function describePerson(person: PersonRecord, today: IsoDate, showEmail: boolean): PersonInfo {
  const absence = viewAbsence(person, today);
  // A channel overrides a substitute person; both show only while an absence is current or ahead.
  const substitute = person.substituteChannelName ?? person.substituteAccountName ?? '';
  return {
    name: person.name,
    talkToMe: person.talkToMeId,
    avatar: person.avatar,
    email: showEmail ? person.email : '',
    phone: person.phone,
    mobile: person.mobile,
    companyName: person.companyName,
    position: person.position,
    available: !absence.away && !person.locked,
    awayInfo: absence.awayInfo,
    awayFrom: absence.awayFrom,
    awayUntil: absence.awayUntil,
    substitution: absence.showsSubstitute ? substitute : '',
    onlineState: person.onlineState,
  };
}
