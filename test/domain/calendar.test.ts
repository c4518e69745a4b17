import { describe, expect, it } from 'vitest';
import { isIsoDate, isTimeZone, localDate, toUsDate } from '../../src/domain/calendar.js';
import { emailKey, isValidEmail } from '../../src/domain/email.js';
import { parseFlag } from '../../src/domain/flag.js';
import { isIdentifier, newApiKey, newIdentifier } from '../../src/domain/identifiers.js';

describe('isIsoDate', () => {
  it.each(['2023-08-10', '2023-01-01', '2023-12-31', '2024-02-29', '2000-02-29', '2023-04-30'])(
    'accepts the real date %s',
    (text) => {
      expect(isIsoDate(text)).toBe(true);
    },
  );

  it.each([
    ['2023-02-29', 'not a leap year'],
    ['1900-02-29', 'century, not a leap year'],
    ['2023-02-30', 'no such day'],
    ['2023-04-31', 'April has 30 days'],
    ['2023-13-01', 'month 13'],
    ['2023-00-10', 'month 0'],
    ['2023-08-00', 'day 0'],
    ['2023-08-32', 'day 32'],
    ['2023-8-1', 'no zero padding'],
    ['2023-08-1', 'day not padded'],
    ['23-08-10', 'two-digit year'],
    ['2023/08/10', 'slashes'],
    ['08/10/2023', 'US format'],
    ['20230810', 'no dashes'],
    ['2023-08-10T00:00:00Z', 'a time after it'],
    ['2023-08-10 ', 'trailing space'],
    [' 2023-08-10', 'leading space'],
    ['2023-08-10\n', 'trailing newline'],
    ['2023-08-10x', 'trailing letter'],
    ['+2023-08-10', 'sign'],
    ['', 'empty'],
  ])('refuses %s (%s)', (text) => {
    expect(isIsoDate(text)).toBe(false);
  });
});

describe('toUsDate', () => {
  it('writes 2023-08-20 as 08/20/2023', () => {
    expect(toUsDate('2023-08-20')).toBe('08/20/2023');
  });

  it('keeps the leading zeros', () => {
    expect(toUsDate('2024-02-09')).toBe('02/09/2024');
    expect(toUsDate('2023-12-31')).toBe('12/31/2023');
  });
});

describe('localDate', () => {
  it('is the UTC date in UTC', () => {
    expect(localDate(new Date('2023-08-10T12:00:00Z'), 'UTC')).toBe('2023-08-10');
    expect(localDate(new Date('2023-08-10T23:59:59.999Z'), 'UTC')).toBe('2023-08-10');
    expect(localDate(new Date('2023-08-11T00:00:00Z'), 'UTC')).toBe('2023-08-11');
  });

  it('east of UTC, late UTC evening is already tomorrow (Europe/Berlin, +02:00 in summer)', () => {
    expect(localDate(new Date('2023-08-10T23:30:00Z'), 'Europe/Berlin')).toBe('2023-08-11');
    expect(localDate(new Date('2023-08-10T21:59:59Z'), 'Europe/Berlin')).toBe('2023-08-10');
    expect(localDate(new Date('2023-08-10T22:00:00Z'), 'Europe/Berlin')).toBe('2023-08-11');
  });

  it('west of UTC, early UTC morning is still yesterday (America/New_York, -04:00 in summer)', () => {
    expect(localDate(new Date('2023-08-10T00:30:00Z'), 'America/New_York')).toBe('2023-08-09');
    expect(localDate(new Date('2023-08-10T03:59:59Z'), 'America/New_York')).toBe('2023-08-09');
    expect(localDate(new Date('2023-08-10T04:00:00Z'), 'America/New_York')).toBe('2023-08-10');
  });

  it('Pacific/Kiritimati (+14) is a day ahead from 10:00Z', () => {
    expect(localDate(new Date('2023-08-10T09:59:59Z'), 'Pacific/Kiritimati')).toBe('2023-08-10');
    expect(localDate(new Date('2023-08-10T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2023-08-11');
    expect(localDate(new Date('2023-08-10T12:00:00Z'), 'Pacific/Kiritimati')).toBe('2023-08-11');
  });

  it('Pacific/Pago_Pago (-11) is a day behind until 11:00Z', () => {
    expect(localDate(new Date('2023-08-10T10:59:59Z'), 'Pacific/Pago_Pago')).toBe('2023-08-09');
    expect(localDate(new Date('2023-08-10T11:00:00Z'), 'Pacific/Pago_Pago')).toBe('2023-08-10');
  });

  it('at noon UTC the extreme zones lie on three different days', () => {
    const noon = new Date('2023-08-10T12:00:00Z');
    expect([
      localDate(noon, 'Pacific/Pago_Pago'),
      localDate(noon, 'UTC'),
      localDate(noon, 'Pacific/Kiritimati'),
    ]).toEqual(['2023-08-10', '2023-08-10', '2023-08-11']);
    expect(localDate(new Date('2023-08-10T10:30:00Z'), 'Pacific/Pago_Pago')).toBe('2023-08-09');
  });

  it('Europe/Berlin on the spring-forward day 2023-03-26 (CET -> CEST at 01:00Z)', () => {
    // The day starts at 23:00Z the evening before (still +01:00) ...
    expect(localDate(new Date('2023-03-25T22:59:59Z'), 'Europe/Berlin')).toBe('2023-03-25');
    expect(localDate(new Date('2023-03-25T23:00:00Z'), 'Europe/Berlin')).toBe('2023-03-26');
    // ... around the change ...
    expect(localDate(new Date('2023-03-26T00:30:00Z'), 'Europe/Berlin')).toBe('2023-03-26');
    expect(localDate(new Date('2023-03-26T01:30:00Z'), 'Europe/Berlin')).toBe('2023-03-26');
    // ... and ends at 22:00Z (now +02:00), an hour earlier than it began.
    expect(localDate(new Date('2023-03-26T21:59:59Z'), 'Europe/Berlin')).toBe('2023-03-26');
    expect(localDate(new Date('2023-03-26T22:30:00Z'), 'Europe/Berlin')).toBe('2023-03-27');
  });

  it('America/New_York on the fall-back day 2023-11-05 (EDT -> EST at 06:00Z)', () => {
    // The day starts at 04:00Z (still -04:00) ...
    expect(localDate(new Date('2023-11-05T03:59:59Z'), 'America/New_York')).toBe('2023-11-04');
    expect(localDate(new Date('2023-11-05T04:30:00Z'), 'America/New_York')).toBe('2023-11-05');
    expect(localDate(new Date('2023-11-05T05:30:00Z'), 'America/New_York')).toBe('2023-11-05');
    expect(localDate(new Date('2023-11-05T06:30:00Z'), 'America/New_York')).toBe('2023-11-05');
    // ... and ends at 05:00Z the next day (now -05:00): 25 hours.
    expect(localDate(new Date('2023-11-06T04:30:00Z'), 'America/New_York')).toBe('2023-11-05');
    expect(localDate(new Date('2023-11-06T05:00:00Z'), 'America/New_York')).toBe('2023-11-06');
  });

  it('answers a string of the YYYY-MM-DD form in every zone', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham']) {
      const text = localDate(new Date('2023-01-05T12:00:00Z'), zone);
      expect(text).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(isIsoDate(text)).toBe(true);
    }
  });
});

describe('isTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])(
    'knows %s',
    (zone) => {
      expect(isTimeZone(zone)).toBe(true);
    },
  );

  it.each(['Mars/Olympus_Mons', 'Europe/Nowhere', 'not a zone', ''])('refuses %j', (zone) => {
    expect(isTimeZone(zone)).toBe(false);
  });
});

describe('isValidEmail', () => {
  it.each(['a@b.co', 'paul.doe@example.com', 'Paul.Doe+tag@Example.COM', 'x_y-z@mail.sub.example.org'])(
    'accepts %s',
    (email) => {
      expect(isValidEmail(email)).toBe(true);
    },
  );

  it.each([
    ['', 'empty'],
    ['paul.example.com', 'no @'],
    ['@example.com', 'empty local part'],
    ['paul@', 'empty domain'],
    ['paul@example', 'domain without a dot'],
    ['paul@@example.com', 'two @ together'],
    ['paul@doe@example.com', 'two @'],
    ['paul doe@example.com', 'space in local part'],
    ['paul@exa mple.com', 'space in domain'],
    ['paul@example.com ', 'trailing space'],
    [' paul@example.com', 'leading space'],
    ['paul\t@example.com', 'tab'],
    ['paul@example.com\n', 'newline'],
  ])('refuses %j (%s)', (email) => {
    expect(isValidEmail(email)).toBe(false);
  });

  it('accepts 254 characters and refuses 255', () => {
    const domain = '@example.com';
    const at254 = `${'a'.repeat(254 - domain.length)}${domain}`;
    expect(at254).toHaveLength(254);
    expect(isValidEmail(at254)).toBe(true);
    expect(isValidEmail(`a${at254}`)).toBe(false);
  });
});

describe('emailKey', () => {
  it('trims and lower-cases', () => {
    expect(emailKey('  Paul.Doe@Example.COM \t')).toBe('paul.doe@example.com');
  });

  it('makes differently cased emails equal', () => {
    expect(emailKey('PAUL@EXAMPLE.COM')).toBe(emailKey('paul@example.com'));
  });
});

describe('parseFlag', () => {
  it.each(['true', 'TRUE', 'True', '1', 'yes', 'YES', 'Yes', 'on', 'ON', 'On'])('%s is true', (word) => {
    expect(parseFlag(word)).toBe(true);
  });

  it.each(['false', 'FALSE', 'False', '0', 'no', 'NO', 'No', 'off', 'OFF', 'Off'])('%s is false', (word) => {
    expect(parseFlag(word)).toBe(false);
  });

  it('passes JSON booleans through', () => {
    expect(parseFlag(true)).toBe(true);
    expect(parseFlag(false)).toBe(false);
  });

  it.each(['', 'maybe', '2', '-1', 'y', 'n', 't', 'f', 'truee', 'enabled', 'null'])('%j is not a flag', (word) => {
    expect(parseFlag(word)).toBeUndefined();
  });
});

describe('identifiers', () => {
  it('newIdentifier gives 26 characters [A-Z0-9]', () => {
    for (let i = 0; i < 200; i++) expect(newIdentifier()).toMatch(/^[A-Z0-9]{26}$/);
  });

  it('newIdentifier is random: 1000 draws, all different, every character of the alphabet used', () => {
    const ids = Array.from({ length: 1000 }, () => newIdentifier());
    expect(new Set(ids).size).toBe(1000);
    const used = new Set(ids.join(''));
    expect([...used].sort().join('')).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  });

  it('newIdentifier does not favour a position: first characters vary', () => {
    const firsts = new Set(Array.from({ length: 500 }, () => newIdentifier()[0]));
    expect(firsts.size).toBeGreaterThan(20);
  });

  it('isIdentifier accepts 26 letters or digits in any case', () => {
    expect(isIdentifier('QAT88PF4NQUB50SOHFLIPQL9RT')).toBe(true);
    expect(isIdentifier('qat88pf4nqub50sohflipql9rt')).toBe(true);
    expect(isIdentifier(newIdentifier())).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['QAT88PF4NQUB50SOHFLIPQL9R', '25 characters'],
    ['QAT88PF4NQUB50SOHFLIPQL9RTX', '27 characters'],
    ['QAT88PF4NQUB50SOHFLIPQL9R-', 'a dash'],
    ['QAT88PF4NQUB50SOHFLIPQL9R ', 'a space'],
    [' QAT88PF4NQUB50SOHFLIPQL9RT', 'leading space'],
    ['QAT88PF4NQUB50SOHFLIPQL9RÄ', 'a non-ASCII letter'],
  ])('isIdentifier refuses %j (%s)', (text) => {
    expect(isIdentifier(text)).toBe(false);
  });

  it('newApiKey has at least 64 hex characters (32 bytes)', () => {
    const key = newApiKey();
    expect(key).toMatch(/^[0-9a-f]+$/);
    expect(key.length).toBeGreaterThanOrEqual(64);
  });

  it('newApiKey is random', () => {
    const keys = new Set(Array.from({ length: 100 }, () => newApiKey()));
    expect(keys.size).toBe(100);
  });
});
