import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/domain/duration.js';

describe('parseDuration', () => {
  it('reads whole minutes, hours and days as milliseconds', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('1m')).toBe(60_000);
    expect(parseDuration('90d')).toBe(90 * 86_400_000);
    expect(parseDuration(' 2h ')).toBe(7_200_000);
  });

  it('refuses anything else', () => {
    for (const text of [
      '',
      '24',
      'h',
      '0h',
      '0m',
      '-1h',
      '+1h',
      '1.5h',
      '1,5h',
      '24 h',
      '24H',
      '1w',
      '30s',
      '1h30m',
      '1234567d',
      'x1h',
    ]) {
      expect(parseDuration(text), text).toBeUndefined();
    }
  });
});
