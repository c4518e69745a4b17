// The scenarios of the benchmark, in JavaScript: the same requests as bench/wrk/switchboard.lua, for
// the autocannon fallback and for the check that every scenario answers what it should before it is
// measured.
import { emailOf, isLocked } from './seed.mjs';

export const SCENARIOS = [
  { name: 'is-account-hit', kind: 'read', what: 'is-account, own account (exists, verified)' },
  { name: 'is-account-miss', kind: 'read', what: 'is-account, no such account' },
  { name: 'is-account-foreign', kind: 'read', what: "is-account, another company's account" },
  { name: 'person-info-public', kind: 'read', what: 'person-info by talk-to-me id, no key' },
  { name: 'person-info-email', kind: 'read', what: 'person-info by email, Bearer token' },
  { name: 'out-of-office', kind: 'write', what: 'out-of-office, random accounts' },
  { name: 'out-of-office-hot', kind: 'write', what: 'out-of-office, one hot account' },
  { name: 'do-not-disturb', kind: 'write', what: 'do-not-disturb, random accounts' },
  { name: 'do-not-disturb-hot', kind: 'write', what: 'do-not-disturb, one hot account' },
  { name: 'mix-90-10', kind: 'mix', what: '90 % reads (is-account, person-info x2) / 10 % writes' },
];

/** The baseline runs the is-account requests against the plain node:http server. */
export const BASELINE = { name: 'baseline', kind: 'read', what: 'plain node:http, same query strings and answer' };

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const between = (low, high) => low + Math.floor(Math.random() * (high - low + 1));

/** A request generator per scenario, over the data a seeding returned. */
export function requestMaker(data, hot) {
  const N = data.accounts;
  const C = data.companies.length;
  const unlocked = (i) => (isLocked(i) ? i - 1 : i);
  const anyAccount = () => unlocked(between(0, N - 1));
  const email = (i) => emailOf(i, C);
  const companyOf = (i) => data.companies[i % C];
  const isAccount = (c, address) => {
    const company = data.companies[c];
    return {
      method: 'GET',
      path: `/api/is-account?companyId=${company.id}&email=${address}&key=${company.token}`,
      expect: {},
    };
  };
  const post = (path, token, fields) => ({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
    body: new URLSearchParams(fields).toString(),
  });
  const colleague = (i) => {
    const j = i + C < N ? i + C : i - C;
    return j < 0 || isLocked(j) ? undefined : j;
  };
  const outOfOffice = (i) => {
    const company = companyOf(i);
    const from = between(0, 19);
    const fields = {
      companyId: company.id,
      accountEmail: email(i),
      awayFrom: data.dates[from],
      awayUntil: data.dates[from + between(0, 10)],
    };
    const kind = between(1, 3);
    const j = colleague(i);
    if (kind === 1 && j !== undefined) fields.substitution = email(j);
    else if (kind === 2) fields.substitutionChannel = company.channel;
    return post('/api/out-of-office', company.token, fields);
  };
  const doNotDisturb = (i) => {
    const company = companyOf(i);
    return post('/api/do-not-disturb', company.token, {
      companyId: company.id,
      accountEmail: email(i),
      dnd: Math.random() < 0.5 ? 'true' : 'false',
    });
  };
  const makers = {
    'is-account-hit': () => {
      const i = anyAccount();
      return { ...isAccount(i % C, email(i)), expect: { exists: true, hasVerified: true } };
    },
    'is-account-miss': () => {
      const i = between(0, N - 1);
      return { ...isAccount(i % C, `nobody${i}@c${i % C}.bench.test`), expect: { exists: false } };
    },
    'is-account-foreign': () => {
      const i = anyAccount();
      return { ...isAccount((i + 1) % C, email(i)), expect: { exists: true, hasVerified: false } };
    },
    'person-info-public': () => ({ method: 'GET', path: `/api/person-info?talkToMeId=${pick(data.talk)}` }),
    'person-info-email': () => {
      const i = anyAccount();
      const company = companyOf(i);
      return {
        method: 'GET',
        path: `/api/person-info?email=${email(i)}&companyId=${company.id}`,
        headers: { authorization: `Bearer ${company.token}` },
      };
    },
    'out-of-office': () => outOfOffice(anyAccount()),
    'out-of-office-hot': () => outOfOffice(hot),
    'do-not-disturb': () => doNotDisturb(anyAccount()),
    'do-not-disturb-hot': () => doNotDisturb(hot),
  };
  makers['mix-90-10'] = () => {
    const r = Math.random();
    if (r < 0.3) return makers['is-account-hit']();
    if (r < 0.6) return makers['person-info-public']();
    if (r < 0.9) return makers['person-info-email']();
    return r < 0.95 ? outOfOffice(anyAccount()) : doNotDisturb(anyAccount());
  };
  makers.baseline = makers['is-account-hit'];
  return makers;
}

/** Whether an answer is what the scenario's request should get; a message when not. */
export function checkAnswer(request, response) {
  if (response.status !== 200) return `status ${response.status}: ${response.body.slice(0, 200)}`;
  let json;
  try {
    json = JSON.parse(response.body);
  } catch {
    return `not JSON: ${response.body.slice(0, 200)}`;
  }
  if (json.success !== true || json.error !== false) return `not a success: ${response.body.slice(0, 200)}`;
  const expect = request.expect ?? {};
  if (expect.exists !== undefined && json.exists !== expect.exists) return `exists is ${json.exists}`;
  if (expect.hasVerified !== undefined && 'verified' in json !== expect.hasVerified) return 'verified wrong';
  return undefined;
}

/** The data file that bench/wrk/switchboard.lua loads. */
export function luaData(data, hot) {
  const quote = (text) => JSON.stringify(text);
  const lines = [
    `-- Generated by bench/run.mjs; tokens of UTC day ${data.day}`,
    'return {',
    `  accounts = ${data.accounts},`,
    `  hot = ${hot},`,
    '  companies = {',
    ...data.companies.map((c) => `    { ${quote(c.id)}, ${quote(c.token)}, ${quote(c.channel)} },`),
    '  },',
    '  talk = {',
    ...data.talk.map((id) => `    ${quote(id)},`),
    '  },',
    `  dates = { ${data.dates.map(quote).join(', ')} },`,
    '}',
    '',
  ];
  return lines.join('\n');
}
