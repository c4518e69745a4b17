import { afterEach, expect, test } from 'vitest';
import { SwitchboardError } from '../../src/domain/errors.js';
import { getAccount } from '../../src/service/accounts.js';
import { recentAudit } from '../../src/service/audit.js';
import { setDoNotDisturb } from '../../src/service/do-not-disturb.js';
import type { Store } from '../../src/store/store.js';
import { writeTransaction } from '../../src/store/write-batch.js';
import { openTestStore } from '../databases.js';
import { makeAccount, makeCompany, TEST_CHANGE } from '../factories.js';

let store: Store;
afterEach(() => store?.close());

test('writes sent together all commit, except the one that fails, which changes nothing', async () => {
  store = await openTestStore();
  const company = await makeCompany(store);
  const emails: string[] = [];
  for (let i = 0; i < 10; i++) emails.push((await makeAccount(store, { companyId: company.companyId })).email);
  const before = (await recentAudit(store.db, { limit: 1000 })).length;

  const writes = [...emails, 'nobody@example.com', ...emails.slice(0, 3)].map((accountEmail) =>
    setDoNotDisturb(store.db, company.companyId, { accountEmail, dnd: true }, TEST_CHANGE),
  );
  const outcomes = await Promise.allSettled(writes);
  expect(outcomes.map((outcome) => outcome.status)).toEqual([
    ...emails.map(() => 'fulfilled'),
    'rejected',
    'fulfilled',
    'fulfilled',
    'fulfilled',
  ]);
  const failure = outcomes[10] as PromiseRejectedResult;
  expect(failure.reason).toBeInstanceOf(SwitchboardError);
  expect((failure.reason as SwitchboardError).code).toBe('ACCOUNT_NOT_FOUND');

  for (const email of emails) expect((await getAccount(store.db, email)).dnd).toBe(true);
  const audit = await recentAudit(store.db, { limit: 1000 });
  expect(audit.length - before).toBe(13);
  // The second write to the same account saw the first one's result: writes keep their order.
  const repeated = audit.filter((entry) => entry.subject === `account:${emails[0]}` && entry.action === 'account.dnd');
  expect(repeated.map((entry) => entry.before).reverse()).toEqual([{ dnd: false }, { dnd: true }]);
});

test('a write that fails after changing rows rolls back alone', async () => {
  store = await openTestStore();
  const company = await makeCompany(store);
  const account = await makeAccount(store, { companyId: company.companyId });
  const broken = writeTransaction(store.db, async (trx) => {
    await trx.updateTable('accounts').set({ dnd: 1 }).where('email', '=', account.email).execute();
    throw new Error('boom');
  });
  const fine = setDoNotDisturb(store.db, company.companyId, { accountEmail: account.email, dnd: false }, TEST_CHANGE);
  await expect(broken).rejects.toThrow('boom');
  await fine;
  expect((await getAccount(store.db, account.email)).dnd).toBe(false);
});
