import { describe, expect, it } from 'vitest';
import { type Absence, absencePhase, viewAbsence } from '../../src/domain/absence.js';
import { describePerson, type PersonRecord } from '../../src/domain/person.js';
import { PERSON_INFO_FIELDS } from '../contract.js';

const TODAY = '2023-08-10';

const absence = (awayFrom: string | null, awayUntil: string | null): Absence => ({ awayFrom, awayUntil });

const NOTHING = { away: false, awayInfo: null, awayFrom: null, awayUntil: null, showsSubstitute: false };

describe('viewAbsence / absencePhase', () => {
  it('no absence: phase none, nothing shown', () => {
    expect(absencePhase(absence(null, null), TODAY)).toBe('none');
    expect(viewAbsence(absence(null, null), TODAY)).toEqual(NOTHING);
  });

  it('today inside an absence: away until its end', () => {
    const a = absence('2023-08-01', '2023-08-20');
    expect(absencePhase(a, TODAY)).toBe('current');
    expect(viewAbsence(a, TODAY)).toEqual({
      away: true,
      awayInfo: 'Away until 08/20/2023.',
      awayFrom: '2023-08-01',
      awayUntil: '2023-08-20',
      showsSubstitute: true,
    });
  });

  it('today is the first day (from inclusive)', () => {
    const a = absence(TODAY, '2023-08-20');
    expect(absencePhase(a, TODAY)).toBe('current');
    expect(viewAbsence(a, TODAY)).toMatchObject({ away: true, awayInfo: 'Away until 08/20/2023.' });
  });

  it('today is the last day (until inclusive)', () => {
    const a = absence('2023-08-01', TODAY);
    expect(absencePhase(a, TODAY)).toBe('current');
    expect(viewAbsence(a, TODAY)).toEqual({
      away: true,
      awayInfo: 'Away until 08/10/2023.',
      awayFrom: '2023-08-01',
      awayUntil: TODAY,
      showsSubstitute: true,
    });
  });

  it('single-day absence today (from == until == today) is current', () => {
    const a = absence(TODAY, TODAY);
    expect(absencePhase(a, TODAY)).toBe('current');
    expect(viewAbsence(a, TODAY)).toEqual({
      away: true,
      awayInfo: 'Away until 08/10/2023.',
      awayFrom: TODAY,
      awayUntil: TODAY,
      showsSubstitute: true,
    });
  });

  it('single-day absence tomorrow is ahead', () => {
    const a = absence('2023-08-11', '2023-08-11');
    expect(absencePhase(a, TODAY)).toBe('ahead');
    expect(viewAbsence(a, TODAY)).toEqual({
      away: false,
      awayInfo: 'Away from 08/11/2023 until 08/11/2023.',
      awayFrom: '2023-08-11',
      awayUntil: '2023-08-11',
      showsSubstitute: true,
    });
  });

  it('single-day absence yesterday is past', () => {
    const a = absence('2023-08-09', '2023-08-09');
    expect(absencePhase(a, TODAY)).toBe('past');
    expect(viewAbsence(a, TODAY)).toEqual(NOTHING);
  });

  it('only from, start in the past: "Away."', () => {
    const a = absence('2023-08-01', null);
    expect(absencePhase(a, TODAY)).toBe('current');
    expect(viewAbsence(a, TODAY)).toEqual({
      away: true,
      awayInfo: 'Away.',
      awayFrom: '2023-08-01',
      awayUntil: null,
      showsSubstitute: true,
    });
  });

  it('only from, start today: "Away."', () => {
    const a = absence(TODAY, null);
    expect(absencePhase(a, TODAY)).toBe('current');
    expect(viewAbsence(a, TODAY)).toMatchObject({ away: true, awayInfo: 'Away.', awayFrom: TODAY, awayUntil: null });
  });

  it('only from, start in the future: "Away from MM/DD/YYYY."', () => {
    const a = absence('2023-08-15', null);
    expect(absencePhase(a, TODAY)).toBe('ahead');
    expect(viewAbsence(a, TODAY)).toEqual({
      away: false,
      awayInfo: 'Away from 08/15/2023.',
      awayFrom: '2023-08-15',
      awayUntil: null,
      showsSubstitute: true,
    });
  });

  it('only until, today before it: "Away until MM/DD/YYYY."', () => {
    const a = absence(null, '2023-08-20');
    expect(absencePhase(a, TODAY)).toBe('current');
    expect(viewAbsence(a, TODAY)).toEqual({
      away: true,
      awayInfo: 'Away until 08/20/2023.',
      awayFrom: null,
      awayUntil: '2023-08-20',
      showsSubstitute: true,
    });
  });

  it('only until, today is that day: still away', () => {
    const a = absence(null, TODAY);
    expect(absencePhase(a, TODAY)).toBe('current');
    expect(viewAbsence(a, TODAY)).toMatchObject({ away: true, awayInfo: 'Away until 08/10/2023.' });
  });

  it('only until, in the past: nothing', () => {
    const a = absence(null, '2023-08-09');
    expect(absencePhase(a, TODAY)).toBe('past');
    expect(viewAbsence(a, TODAY)).toEqual(NOTHING);
  });

  it('ahead with both ends: "Away from .. until .."', () => {
    const a = absence('2023-08-15', '2023-08-20');
    expect(absencePhase(a, TODAY)).toBe('ahead');
    expect(viewAbsence(a, TODAY)).toEqual({
      away: false,
      awayInfo: 'Away from 08/15/2023 until 08/20/2023.',
      awayFrom: '2023-08-15',
      awayUntil: '2023-08-20',
      showsSubstitute: true,
    });
  });

  it('starting tomorrow is ahead (day before from)', () => {
    const a = absence('2023-08-11', '2023-08-20');
    expect(absencePhase(a, TODAY)).toBe('ahead');
    expect(viewAbsence(a, TODAY)).toMatchObject({ away: false, awayInfo: 'Away from 08/11/2023 until 08/20/2023.' });
  });

  it('a past absence with both ends shows nothing', () => {
    const a = absence('2023-07-01', '2023-07-31');
    expect(absencePhase(a, TODAY)).toBe('past');
    expect(viewAbsence(a, TODAY)).toEqual(NOTHING);
  });

  it('ended yesterday is past (day after until)', () => {
    const a = absence('2023-08-01', '2023-08-09');
    expect(absencePhase(a, TODAY)).toBe('past');
    expect(viewAbsence(a, TODAY)).toEqual(NOTHING);
  });

  it('spans a year boundary', () => {
    const a = absence('2023-12-20', '2024-01-05');
    expect(viewAbsence(a, '2024-01-01')).toMatchObject({ away: true, awayInfo: 'Away until 01/05/2024.' });
    expect(viewAbsence(a, '2023-12-19')).toMatchObject({
      away: false,
      awayInfo: 'Away from 12/20/2023 until 01/05/2024.',
    });
    expect(viewAbsence(a, '2024-01-06')).toEqual(NOTHING);
  });
});

function person(overrides: Partial<PersonRecord> = {}): PersonRecord {
  return {
    name: 'Paul Doe',
    talkToMeId: 'QAT88PF4NQUB50SOHFLIPQL9RT',
    email: 'paul.doe@example.com',
    avatar: 'https://example.com/paul.png',
    phone: '+1 234 56789',
    mobile: null,
    position: 'Sales',
    companyName: 'Company Ltd.',
    locked: false,
    onlineState: 'OFFLINE',
    awayFrom: null,
    awayUntil: null,
    substituteAccountName: null,
    substituteChannelName: null,
    ...overrides,
  };
}

describe('describePerson', () => {
  it('answers the fields in the contract order', () => {
    expect(Object.keys(describePerson(person(), TODAY, false))).toEqual(PERSON_INFO_FIELDS);
  });

  it('a present person without absence: available, nothing away', () => {
    expect(describePerson(person({ onlineState: 'ONLINE' }), TODAY, false)).toEqual({
      name: 'Paul Doe',
      talkToMe: 'QAT88PF4NQUB50SOHFLIPQL9RT',
      avatar: 'https://example.com/paul.png',
      email: '',
      phone: '+1 234 56789',
      mobile: null,
      companyName: 'Company Ltd.',
      position: 'Sales',
      available: true,
      awayInfo: null,
      awayFrom: null,
      awayUntil: null,
      substitution: '',
      onlineState: 'ONLINE',
    });
  });

  it('the reference example: away until 08/20/2023', () => {
    const info = describePerson(person({ awayFrom: '2023-08-01', awayUntil: '2023-08-20' }), TODAY, false);
    expect(info).toMatchObject({
      available: false,
      awayInfo: 'Away until 08/20/2023.',
      awayFrom: '2023-08-01',
      awayUntil: '2023-08-20',
      substitution: '',
      onlineState: 'OFFLINE',
    });
  });

  it('a single-day absence today makes the person unavailable', () => {
    const info = describePerson(person({ awayFrom: TODAY, awayUntil: TODAY }), TODAY, false);
    expect(info.available).toBe(false);
    expect(info.awayInfo).toBe('Away until 08/10/2023.');
  });

  it('an absence ahead keeps the person available', () => {
    const info = describePerson(person({ awayFrom: '2023-08-15', awayUntil: '2023-08-20' }), TODAY, false);
    expect(info.available).toBe(true);
    expect(info.awayInfo).toBe('Away from 08/15/2023 until 08/20/2023.');
  });

  it('a past absence shows nothing and keeps the person available', () => {
    const info = describePerson(person({ awayFrom: '2023-07-01', awayUntil: '2023-07-31' }), TODAY, false);
    expect(info).toMatchObject({ available: true, awayInfo: null, awayFrom: null, awayUntil: null });
  });

  it('a locked account is not available, even without absence', () => {
    expect(describePerson(person({ locked: true }), TODAY, true).available).toBe(false);
  });

  it('a locked account with an absence ahead is not available', () => {
    const info = describePerson(person({ locked: true, awayFrom: '2023-08-15' }), TODAY, true);
    expect(info.available).toBe(false);
    expect(info.awayInfo).toBe('Away from 08/15/2023.');
  });

  it('shows the substitute person while the absence is current', () => {
    const info = describePerson(
      person({ awayFrom: '2023-08-01', awayUntil: '2023-08-20', substituteAccountName: 'Jane Roe' }),
      TODAY,
      false,
    );
    expect(info.substitution).toBe('Jane Roe');
  });

  it('shows the substitute person while the absence is ahead', () => {
    const info = describePerson(
      person({ awayFrom: '2023-08-15', awayUntil: '2023-08-20', substituteAccountName: 'Jane Roe' }),
      TODAY,
      false,
    );
    expect(info.substitution).toBe('Jane Roe');
  });

  it('hides the substitute after the absence', () => {
    const info = describePerson(
      person({ awayFrom: '2023-07-01', awayUntil: '2023-07-31', substituteAccountName: 'Jane Roe' }),
      TODAY,
      false,
    );
    expect(info.substitution).toBe('');
  });

  it('hides a substitute stored without any absence', () => {
    const info = describePerson(
      person({ substituteAccountName: 'Jane Roe', substituteChannelName: 'Support' }),
      TODAY,
      false,
    );
    expect(info.substitution).toBe('');
  });

  it('the channel name wins over the person name', () => {
    const info = describePerson(
      person({ awayFrom: TODAY, substituteAccountName: 'Jane Roe', substituteChannelName: 'Support' }),
      TODAY,
      false,
    );
    expect(info.substitution).toBe('Support');
  });

  it('a channel alone is shown by its name', () => {
    const info = describePerson(person({ awayUntil: '2023-08-20', substituteChannelName: 'Support' }), TODAY, false);
    expect(info.substitution).toBe('Support');
  });

  it('shows the email only when asked', () => {
    expect(describePerson(person(), TODAY, true).email).toBe('paul.doe@example.com');
    expect(describePerson(person(), TODAY, false).email).toBe('');
  });

  it('passes optional text fields through as null', () => {
    const info = describePerson(
      person({ avatar: null, phone: null, mobile: null, position: null, companyName: null }),
      TODAY,
      false,
    );
    expect(info).toMatchObject({ avatar: null, phone: null, mobile: null, position: null, companyName: null });
  });
});
