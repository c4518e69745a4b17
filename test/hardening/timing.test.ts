/**
 * An unknown company and a wrong key must take the same time (issue 5, "Hardening"), so that the
 * answer's timing does not tell which company identifiers exist. Both fail with the same 403; here
 * the two are timed against each other, interleaved, and the token check is shown to run for an
 * unknown company too (against a stand-in key).
 */
import { describe, expect, it, vi } from 'vitest';
import * as accessToken from '../../src/domain/access-token.js';
import { makeAccount, makeCompany } from '../factories.js';
import { buildTestApp } from '../helper.js';

vi.mock('../../src/domain/access-token.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/domain/access-token.js')>();
  return { ...original, isValidAccessToken: vi.fn(original.isValidAccessToken) };
});

const PAIRS = 300;
const UNKNOWN_COMPANY = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ9';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

describe('unknown company and wrong key', () => {
  it('take the same time: medians of 300 interleaved requests each within 25 % (or 0.1 ms)', async () => {
    // The brute-force limit would answer 429 after 20 failures; the timing is that of the check itself.
    const { app, store } = await buildTestApp({ authFailureLimit: { max: 0, windowMs: 60_000 } });
    const company = await makeCompany(store);
    await makeAccount(store, { companyId: company.companyId, email: 'anna@example.com' });
    const wrongKey = company.token().replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const request = (companyId: string) => ({
      method: 'GET' as const,
      url: '/api/is-account',
      query: { companyId, email: 'anna@example.com', key: wrongKey },
    });
    const timed = async (companyId: string) => {
      const started = performance.now();
      const response = await app.inject(request(companyId));
      const elapsed = performance.now() - started;
      expect({ status: response.statusCode, body: response.json() }).toEqual({
        status: 403,
        body: { success: false, error: true, message: 'Invalid authentication.' },
      });
      return elapsed;
    };
    // Warm-up: the first requests compile code paths and fill caches.
    for (let i = 0; i < 30; i++) {
      await timed(company.companyId);
      await timed(UNKNOWN_COMPANY);
    }

    const check = vi.mocked(accessToken.isValidAccessToken);
    check.mockClear();
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      // Interleaved, in a random order within each pair, so that drifts of the machine hit both alike.
      if (Math.random() < 0.5) {
        unknown.push(await timed(UNKNOWN_COMPANY));
        wrong.push(await timed(company.companyId));
      } else {
        wrong.push(await timed(company.companyId));
        unknown.push(await timed(UNKNOWN_COMPANY));
      }
    }

    // The token is computed and compared for every request, as often for an unknown company (against
    // a stand-in key) as for a known one: the same work, not merely the same answer.
    const checkedFor = check.mock.calls.map(([call]) => call.companyId);
    const forKnown = checkedFor.filter((id) => id === company.companyId).length;
    expect(forKnown).toBeGreaterThanOrEqual(PAIRS);
    expect(forKnown % PAIRS).toBe(0);
    expect(checkedFor.length - forKnown).toBe(forKnown);

    const [unknownMs, wrongMs] = [median(unknown), median(wrong)];
    const tolerance = Math.max(0.25 * Math.min(unknownMs, wrongMs), 0.1);
    console.log(
      `median unknown company ${unknownMs.toFixed(3)} ms, wrong key ${wrongMs.toFixed(3)} ms (tolerance ${tolerance.toFixed(3)} ms)`,
    );
    expect(Math.abs(unknownMs - wrongMs)).toBeLessThanOrEqual(tolerance);
  });
});
