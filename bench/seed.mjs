// Bulk seeding of a benchmark database: companies, accounts, channels, absences and their audit
// entries, the same rows the service writes, inserted in big transactions. The schema is the real
// one: the app's own openStore (dist/store/store.js) creates and migrates it first.
//
//   node bench/seed.mjs --db bench/out/bench.db --accounts 100000
//   node bench/seed.mjs --db 'postgres://postgres@127.0.0.1:5432/test?schema=bench' --accounts 100000
//
// Account i (0-based) belongs to company i % companies and has the email u<i>@c<company>.bench.test;
// the load scripts derive requests from these rules, so 1,000,000 emails need not be shipped to them.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { computeAccessToken, utcDay } from '../dist/domain/access-token.js';
import { openStore } from '../dist/store/store.js';

const ACTOR = 'bench:seed';
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];
const POSITIONS = ['Sales', 'Support', 'Marketing', 'Engineering', 'Finance', null];
const ONLINE_STATES = ['ONLINE', 'AWAY', 'OFFLINE'];
const CHANNELS_PER_COMPANY = 3;
const MEMBERS_PER_CHANNEL = 5;
const DAY_MS = 86_400_000;

// The rules that the seeder, bench/scenarios.mjs and bench/wrk/switchboard.lua share.
export const companyCountFor = (accounts) => Math.min(1000, Math.max(10, Math.floor(accounts / 100)));
export const emailOf = (i, companies) => `u${i}@c${i % companies}.bench.test`;
export const isLocked = (i) => i % 100 === 99;
export const HOT_ACCOUNT = 0;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
let pool = Buffer.alloc(0);
let poolAt = 0;
/** A random 26-character [A-Z0-9] identifier, as the service makes them (unbiased, from a byte pool). */
export function identifier() {
  let id = '';
  while (id.length < 26) {
    if (poolAt >= pool.length) {
      pool = randomBytes(65_536);
      poolAt = 0;
    }
    const byte = pool[poolAt++];
    if (byte < 252) id += ALPHABET[byte % 36];
  }
  return id;
}

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The rows of a benchmark data set, generated in chunks so that 1,000,000 accounts never sit in memory at once. */
function plan(accounts, now) {
  const companies = companyCountFor(accounts);
  const at = new Date(now).toISOString();
  const day = (offset) => isoDay(now + offset * DAY_MS);
  const companyRows = [];
  for (let c = 0; c < companies; c++) {
    companyRows.push({
      id: identifier(),
      name: `Bench Company ${c} Ltd.`,
      api_key: randomBytes(32).toString('hex'),
      hash: c % 10 === 9 ? 'md5' : 'sha256',
      timezone: TIME_ZONES[c % TIME_ZONES.length],
      created_at: at,
      updated_at: at,
    });
  }
  const accountIds = new Array(accounts);
  for (let i = 0; i < accounts; i++) accountIds[i] = identifier();
  const channelRows = [];
  const memberRows = [];
  for (let c = 0; c < companies; c++) {
    for (let k = 0; k < CHANNELS_PER_COMPANY; k++) {
      const channel = { id: identifier(), company_id: companyRows[c].id, name: `Team ${c}-${k}`, created_at: at };
      channelRows.push(channel);
      const members = [];
      for (let m = 0; m < MEMBERS_PER_CHANNEL; m++) {
        const i = c + (k * MEMBERS_PER_CHANNEL + m) * companies;
        if (i >= accounts) break;
        memberRows.push({ channel_id: channel.id, account_id: accountIds[i], added_at: at });
        members.push(emailOf(i, companies));
      }
      channel.members = members;
    }
  }

  /** Account i, and its seeded absence (if any) as out-of-office would have set it. */
  function account(i) {
    const c = i % companies;
    const email = emailOf(i, companies);
    const row = {
      id: accountIds[i],
      email,
      email_key: email.toLowerCase(),
      company_id: companyRows[c].id,
      name: `Person ${i}`,
      talk_to_me_id: identifier(),
      avatar: i % 5 === 0 ? `https://avatars.bench.test/${i}.png` : null,
      phone: i % 3 === 0 ? `+49 30 ${1_000_000 + i}` : null,
      mobile: i % 4 === 0 ? `+49 171 ${1_000_000 + i}` : null,
      position: POSITIONS[i % POSITIONS.length],
      verified: i % 10 < 7 ? 1 : 0,
      locked: isLocked(i) ? 1 : 0,
      dnd: i % 10 === 8 ? 1 : 0,
      online_state: ONLINE_STATES[i % ONLINE_STATES.length],
      away_from: null,
      away_until: null,
      substitute_account_id: null,
      substitute_channel_id: null,
      created_at: at,
      updated_at: at,
    };
    let absence;
    if (i % 10 === 3) {
      // Away now, with a colleague of the same company as substitute.
      let j = i + companies < accounts ? i + companies : i - companies;
      if (j < 0 || isLocked(j)) j = -1;
      absence = { away_from: day(-2), away_until: day(5), substitute_account_id: j >= 0 ? accountIds[j] : null };
      absence.substitute_channel_id = null;
    } else if (i % 10 === 4) {
      // An absence ahead, with a channel as substitute.
      const channel = channelRows[c * CHANNELS_PER_COMPANY].id;
      absence = {
        away_from: day(10),
        away_until: day(20),
        substitute_account_id: null,
        substitute_channel_id: channel,
      };
    } else if (i % 20 === 5) {
      absence = { away_from: day(-30), away_until: day(-20), substitute_account_id: null, substitute_channel_id: null };
    }
    return { row, absence };
  }

  return { companies, companyRows, channelRows, memberRows, account, at };
}

function auditJson(row) {
  const { api_key: _secret, members: _members, ...visible } = row;
  return JSON.stringify(visible);
}

/** Accounts from..to-1 with their index. */
function* accountsOf(data, from, to) {
  for (let i = from; i < to; i++) yield { i, ...data.account(i) };
}

const ACCOUNT_COLUMNS = [
  'id',
  'email',
  'email_key',
  'company_id',
  'name',
  'talk_to_me_id',
  'avatar',
  'phone',
  'mobile',
  'position',
  'verified',
  'locked',
  'dnd',
  'online_state',
  'away_from',
  'away_until',
  'substitute_account_id',
  'substitute_channel_id',
  'created_at',
  'updated_at',
];
const AUDIT_COLUMNS = ['at', 'actor', 'action', 'company_id', 'subject', 'before', 'after'];
const CHUNK = 50_000;

/** What the load scripts need to know of a seeded data set: tokens of today, some talk-to-me ids, channels. */
function summary(data, accounts, talk, seedMs, now) {
  const today = utcDay(now);
  return {
    accounts,
    companyCount: data.companies,
    seedMs,
    day: today,
    companies: data.companyRows.map((company, c) => ({
      id: company.id,
      token: computeAccessToken(company.api_key, company.id, today, company.hash),
      channel: data.channelRows[c * CHANNELS_PER_COMPANY].id,
    })),
    talk,
    dates: Array.from({ length: 40 }, (_, k) => isoDay(now + k * DAY_MS)),
  };
}

/** A sample of talk-to-me ids of unlocked accounts, spread over the whole table, at most `max`. */
function talkSampler(accounts, max) {
  const step = Math.max(1, Math.floor(accounts / max));
  const talk = [];
  return { talk, take: (i, id) => i % step === 0 && !isLocked(i) && talk.length < max && talk.push(id) };
}

export async function seedSqlite(file, accounts, { talkSample = 20_000, now = Date.now() } = {}) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  const started = performance.now();
  const store = await openStore(file);
  await store.close();
  const raw = new SQLite(file);
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('foreign_keys = OFF');
  raw.pragma('cache_size = -1000000');
  const data = plan(accounts, now);
  const insert = (table, columns) =>
    raw.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  const companyInsert = insert('companies', ['id', 'name', 'api_key', 'hash', 'timezone', 'created_at', 'updated_at']);
  const channelInsert = insert('channels', ['id', 'company_id', 'name', 'created_at']);
  const memberInsert = insert('channel_members', ['channel_id', 'account_id', 'added_at']);
  const accountInsert = insert('accounts', ACCOUNT_COLUMNS);
  const auditInsert = insert('audit', AUDIT_COLUMNS);
  const updateAbsence = raw.prepare(
    'update accounts set away_from = ?, away_until = ?, substitute_account_id = ?, substitute_channel_id = ? where id = ?',
  );
  const sampler = talkSampler(accounts, talkSample);

  raw.transaction(() => {
    for (const company of data.companyRows) {
      companyInsert.run(
        company.id,
        company.name,
        company.api_key,
        company.hash,
        company.timezone,
        company.created_at,
        company.updated_at,
      );
      auditInsert.run(data.at, ACTOR, 'company.create', company.id, `company:${company.id}`, null, auditJson(company));
    }
  })();
  const absences = [];
  for (let from = 0; from < accounts; from += CHUNK) {
    raw.transaction(() => {
      for (const { i, row, absence } of accountsOf(data, from, Math.min(accounts, from + CHUNK))) {
        accountInsert.run(ACCOUNT_COLUMNS.map((column) => row[column]));
        auditInsert.run(
          data.at,
          ACTOR,
          'account.create',
          row.company_id,
          `account:${row.email}`,
          null,
          JSON.stringify(row),
        );
        sampler.take(i, row.talk_to_me_id);
        if (absence) absences.push({ id: row.id, company_id: row.company_id, email: row.email, absence });
      }
    })();
  }
  raw.transaction(() => {
    for (const channel of data.channelRows) {
      channelInsert.run(channel.id, channel.company_id, channel.name, channel.created_at);
      auditInsert.run(
        data.at,
        ACTOR,
        'channel.create',
        channel.company_id,
        `channel:${channel.id}`,
        null,
        auditJson(channel),
      );
    }
    for (const member of data.memberRows) memberInsert.run(member.channel_id, member.account_id, member.added_at);
  })();
  for (let from = 0; from < absences.length; from += CHUNK) {
    raw.transaction(() => {
      for (const { absence, ...row } of absences.slice(from, from + CHUNK)) {
        updateAbsence.run(
          absence.away_from,
          absence.away_until,
          absence.substitute_account_id,
          absence.substitute_channel_id,
          row.id,
        );
        const before = { away_from: null, away_until: null, substitute_account_id: null, substitute_channel_id: null };
        auditInsert.run(
          data.at,
          ACTOR,
          'account.absence',
          row.company_id,
          `account:${row.email}`,
          JSON.stringify(before),
          JSON.stringify(absence),
        );
      }
    })();
  }
  raw.pragma('journal_mode = WAL');
  raw.close();
  const seedMs = performance.now() - started;
  return summary(data, accounts, sampler.talk, seedMs, now);
}

/** Column arrays for `insert ... select * from unnest(...)`, the fast bulk path of node-postgres without COPY. */
async function insertRows(client, table, columns, types, rows) {
  const arrays = columns.map((column) => rows.map((row) => row[column]));
  const casts = types.map((type, k) => `$${k + 1}::${type}[]`).join(', ');
  await client.query(`insert into ${table} (${columns.join(', ')}) select * from unnest(${casts})`, arrays);
}

export async function seedPostgres(location, accounts, { talkSample = 20_000, now = Date.now() } = {}) {
  const url = new URL(location);
  const schema = url.searchParams.get('schema') ?? 'bench';
  url.searchParams.delete('schema');
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
  const started = performance.now();
  const store = await openStore(location);
  await store.close();
  const client = new pg.Client({ connectionString: url.toString(), options: `-c search_path=${schema}` });
  await client.connect();
  const data = plan(accounts, now);
  const sampler = talkSampler(accounts, talkSample);
  const audit = (rows) =>
    insertRows(client, 'audit', AUDIT_COLUMNS, ['text', 'text', 'text', 'text', 'text', 'text', 'text'], rows);
  const entry = (action, companyId, subject, before, after) => ({
    at: data.at,
    actor: ACTOR,
    action,
    company_id: companyId,
    subject,
    before,
    after,
  });
  const text = (n) => Array(n).fill('text');
  try {
    await client.query('begin');
    // Substitutes may point at rows of a later chunk: foreign keys are checked by the rules of the data, not here.
    await client.query('set local session_replication_role = replica');
    await insertRows(
      client,
      'companies',
      ['id', 'name', 'api_key', 'hash', 'timezone', 'created_at', 'updated_at'],
      text(7),
      data.companyRows,
    );
    await audit(data.companyRows.map((c) => entry('company.create', c.id, `company:${c.id}`, null, auditJson(c))));
    await insertRows(client, 'channels', ['id', 'company_id', 'name', 'created_at'], text(4), data.channelRows);
    await audit(
      data.channelRows.map((ch) => entry('channel.create', ch.company_id, `channel:${ch.id}`, null, auditJson(ch))),
    );
    const accountTypes = ACCOUNT_COLUMNS.map((column) =>
      ['verified', 'locked', 'dnd'].includes(column) ? 'int' : 'text',
    );
    for (let from = 0; from < accounts; from += 10_000) {
      const rows = [];
      const entries = [];
      for (const { i, row, absence } of accountsOf(data, from, Math.min(accounts, from + 10_000))) {
        sampler.take(i, row.talk_to_me_id);
        entries.push(entry('account.create', row.company_id, `account:${row.email}`, null, JSON.stringify(row)));
        if (absence) {
          const before = {
            away_from: null,
            away_until: null,
            substitute_account_id: null,
            substitute_channel_id: null,
          };
          entries.push(
            entry(
              'account.absence',
              row.company_id,
              `account:${row.email}`,
              JSON.stringify(before),
              JSON.stringify(absence),
            ),
          );
          Object.assign(row, absence);
        }
        rows.push(row);
      }
      await insertRows(client, 'accounts', ACCOUNT_COLUMNS, accountTypes, rows);
      await audit(entries);
    }
    await insertRows(client, 'channel_members', ['channel_id', 'account_id', 'added_at'], text(3), data.memberRows);
    await client.query('commit');
    await client.query('analyze');
  } finally {
    await client.end();
  }
  const seedMs = performance.now() - started;
  return summary(data, accounts, sampler.talk, seedMs, now);
}

/** Bytes of the benchmark schema's tables with their indexes and TOAST. */
export async function postgresBytes(location) {
  const url = new URL(location);
  const schema = url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const result = await client.query(
      `select coalesce(sum(pg_total_relation_size(format('%I.%I', schemaname, tablename)::regclass)), 0)::bigint as bytes
         from pg_tables where schemaname = $1`,
      [schema],
    );
    return Number(result.rows[0].bytes);
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { db: { type: 'string' }, accounts: { type: 'string', default: '1000' } } });
  if (!values.db) {
    console.error('usage: node bench/seed.mjs --db <file or postgres URL> [--accounts N]');
    process.exit(2);
  }
  const accounts = Number(values.accounts);
  const seeded = /^postgres/.test(values.db)
    ? await seedPostgres(values.db, accounts)
    : await seedSqlite(values.db, accounts);
  console.log(
    JSON.stringify(
      { accounts, companies: seeded.companyCount, seedMs: Math.round(seeded.seedMs), company: seeded.companies[0] },
      null,
      2,
    ),
  );
}
