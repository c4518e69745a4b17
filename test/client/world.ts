import type { AddressInfo } from 'node:net';
import { makeAccount, makeChannel, makeCompany, type TestCompany } from '../factories.js';
import { buildTestApp, NOON, type TestApp } from '../helper.js';

export interface Person {
  email: string;
  talkToMeId: string;
}

export interface World extends TestApp {
  /** Where the app listens, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  company: TestCompany;
  other: TestCompany;
  /** Verified, of `company`. */
  anna: Person;
  /** Unverified, of `company`: a substitute. */
  ben: Person;
  locked: Person;
  /** Of `other`. */
  foreign: Person;
  channelId: string;
}

/**
 * A really listening app (clock fixed at `now`, NOON by default) with "Home Ltd." (Anna verified, Ben,
 * a locked account, a channel) and "Other Inc." with one account.
 */
export async function world(options: { now?: Date; hash?: 'sha256' | 'md5' } = {}): Promise<World> {
  const test = await buildTestApp({}, options.now ?? NOON);
  const { store } = test;
  const company = await makeCompany(store, { name: 'Home Ltd.', hash: options.hash });
  const other = await makeCompany(store, { name: 'Other Inc.' });
  const anna = await makeAccount(store, {
    email: 'anna@home.example',
    name: 'Anna Home',
    companyId: company.companyId,
    verified: true,
    position: 'Sales',
  });
  const ben = await makeAccount(store, { email: 'ben@home.example', name: 'Ben Home', companyId: company.companyId });
  const locked = await makeAccount(store, {
    email: 'locked@home.example',
    name: 'Locked Home',
    companyId: company.companyId,
    locked: true,
  });
  const foreign = await makeAccount(store, { email: 'olga@other.example', name: 'Olga', companyId: other.companyId });
  const channel = await makeChannel(store, company.companyId, 'Support', [anna.email]);
  await test.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = test.app.server.address() as AddressInfo;
  return {
    ...test,
    baseUrl: `http://127.0.0.1:${port}`,
    company,
    other,
    anna,
    ben,
    locked,
    foreign,
    channelId: channel.channelId,
  };
}
