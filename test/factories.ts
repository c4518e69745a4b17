import { computeAccessToken, type HashFunction, utcDay } from '../src/domain/access-token.js';
import { type AccountProfile, createAccount } from '../src/service/accounts.js';
import type { Change } from '../src/service/change.js';
import { createChannel } from '../src/service/channels.js';
import { createCompany } from '../src/service/companies.js';
import type { Store } from '../src/store/store.js';

export const TEST_CHANGE: Change = { actor: 'test', now: new Date('2023-08-01T00:00:00Z') };

let sequence = 0;

export interface TestCompany {
  companyId: string;
  apiKey: string;
  hash: HashFunction;
  name: string;
  timezone: string;
  /** The company's access token of the day of `now` (default: the test clock's noon). */
  token(now?: Date, offsetDays?: number): string;
}

export async function makeCompany(
  store: Store,
  overrides: { name?: string; hash?: HashFunction; timezone?: string } = {},
): Promise<TestCompany> {
  const company = await createCompany(
    store.db,
    { name: overrides.name ?? `Company ${++sequence} Ltd.`, hash: overrides.hash, timezone: overrides.timezone },
    TEST_CHANGE,
  );
  return {
    ...company,
    token: (now = new Date('2023-08-10T12:00:00Z'), offsetDays = 0) =>
      computeAccessToken(company.apiKey, company.companyId, utcDay(now.getTime()) + offsetDays, company.hash),
  };
}

export async function makeAccount(
  store: Store,
  overrides: AccountProfile & { email?: string; name?: string; companyId?: string } = {},
) {
  return createAccount(
    store.db,
    {
      ...overrides,
      email: overrides.email ?? `person${++sequence}@example.com`,
      name: overrides.name ?? `Person ${sequence}`,
    },
    TEST_CHANGE,
  );
}

export async function makeChannel(
  store: Store,
  companyId: string,
  name = `Channel ${++sequence}`,
  members: string[] = [],
) {
  return createChannel(store.db, { companyId, name, members }, TEST_CHANGE);
}
