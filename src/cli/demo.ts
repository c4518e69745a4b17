import { computeAccessToken, utcDay } from '../domain/access-token.js';
import { localDate } from '../domain/calendar.js';
import { setAbsence } from '../service/absence.js';
import { createAccount } from '../service/accounts.js';
import type { Change } from '../service/change.js';
import { createChannel } from '../service/channels.js';
import { createCompany } from '../service/companies.js';
import { setDoNotDisturb } from '../service/do-not-disturb.js';
import { findAccountByEmail } from '../store/repositories/accounts.js';
import { listCompanies } from '../store/repositories/companies.js';
import type { Db } from '../store/store.js';

export const DEMO_COMPANY = 'Demo Company Ltd.';
const TIME_ZONE = 'Europe/Berlin';
const DAY_MS = 86_400_000;

/** Creates the demo company with one account for each case, unless the database has companies already. */
export async function seedDemo(db: Db, change: Change): Promise<boolean> {
  if ((await listCompanies(db)).length > 0) return false;
  const { companyId } = await createCompany(db, { name: DEMO_COMPANY, timezone: TIME_ZONE }, change);
  const account = (email: string, name: string, extra: Record<string, unknown> = {}) =>
    createAccount(db, { email, name, companyId, ...extra }, change);
  await account('anna@demo.example', 'Anna Verified', {
    verified: true,
    position: 'Sales',
    phone: '+49 30 1234567',
    onlineState: 'ONLINE',
  });
  await account('ben@demo.example', 'Ben Unverified', { position: 'Support' });
  await account('carla@demo.example', 'Carla Locked', { verified: true, locked: true });
  await account('dora@demo.example', 'Dora Away', { verified: true, position: 'Marketing', mobile: '+49 171 7654321' });
  await account('emil@demo.example', 'Emil Busy', { verified: true, position: 'Support', onlineState: 'ONLINE' });
  await createChannel(
    db,
    { companyId, name: 'Support', members: ['anna@demo.example', 'ben@demo.example', 'emil@demo.example'] },
    change,
  );
  const day = (offset: number) => localDate(new Date(change.now.getTime() + offset * DAY_MS), TIME_ZONE);
  const absence = {
    accountEmail: 'dora@demo.example',
    awayFrom: day(-2),
    awayUntil: day(7),
    substitution: 'anna@demo.example',
  };
  await setAbsence(db, companyId, absence, change);
  await setDoNotDisturb(db, companyId, { accountEmail: 'emil@demo.example', dnd: true }, change);
  return true;
}

/** Ready-to-paste lines for the four endpoints, with today's token of the demo company. */
export async function demoInstructions(db: Db, baseUrl: string, now: Date): Promise<string | undefined> {
  const company = (await listCompanies(db)).find((row) => row.name === DEMO_COMPANY);
  const dora = await findAccountByEmail(db, 'dora@demo.example');
  if (!company || !dora) return undefined;
  const token = computeAccessToken(company.api_key, company.id, utcDay(now.getTime()), company.hash);
  const id = company.id;
  return [
    `Demo company "${company.name}" (time zone ${company.timezone})`,
    `  companyId: ${id}`,
    `  token of today (UTC day ${utcDay(now.getTime())}): ${token}`,
    `  tomorrow: npx switchboard token ${id}`,
    `  interactive reference: ${baseUrl}/docs`,
    '',
    'Try it:',
    `curl -s '${baseUrl}/api/is-account?companyId=${id}&email=anna@demo.example&key=${token}'`,
    `curl -s '${baseUrl}/api/person-info?talkToMeId=${dora.talk_to_me_id}'`,
    `curl -s -X POST '${baseUrl}/api/out-of-office' -H 'Authorization: Bearer ${token}' -d companyId=${id} -d accountEmail=ben@demo.example -d awayFrom=${localDate(now, company.timezone)} -d substitution=anna@demo.example`,
    `curl -s -X POST '${baseUrl}/api/do-not-disturb' -H 'Content-Type: application/json' -H 'Authorization: Bearer ${token}' -d '{"companyId":"${id}","accountEmail":"anna@demo.example","dnd":false}'`,
    '',
  ].join('\n');
}
