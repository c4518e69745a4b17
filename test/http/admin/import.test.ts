import { describe, expect, it } from 'vitest';
import { makeAccount, makeCompany } from '../../factories.js';
import { snapshot } from '../../helper.js';
import { ADMIN_TOKEN, buildAdminApp, errorBody, importCsv } from './admin-client.js';

const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ9';

async function setup() {
  const test = await buildAdminApp();
  const company = await makeCompany(test.store, { name: 'Home Ltd.' });
  const upload = (csv: string, query = '') => importCsv(test.app, company.companyId, csv, query);
  return { ...test, company, upload };
}

describe('admin CSV import of accounts', () => {
  it('creates every row, reading quoted fields, escaped quotes, CRLF, a BOM and columns in any order', async () => {
    const { call, company, upload } = await setup();
    const csv = [
      '\ufeffName,EMAIL,position,phone,mobile,avatar,verified,locked',
      '"Doe, Jane",jane@example.com,"Head of ""Sales""",+49 30 1,,https://example.com/j.png,yes,',
      '"Multi\nLine",multi@example.com,,,"+1 555, ext. 2",,0,true',
      'Plain,plain@example.com,,,,,,',
      '',
    ].join('\r\n');
    const result = await upload(csv);
    expect(result).toEqual({ status: 200, body: { created: 3, errors: [] } });

    const jane = await call('GET', '/admin/v1/accounts/jane@example.com');
    expect(jane.body).toMatchObject({
      name: 'Doe, Jane',
      companyId: company.companyId,
      position: 'Head of "Sales"',
      phone: '+49 30 1',
      mobile: null,
      avatar: 'https://example.com/j.png',
      verified: true,
      locked: false,
    });
    expect((await call('GET', '/admin/v1/accounts/multi@example.com')).body).toMatchObject({
      name: 'Multi\nLine',
      mobile: '+1 555, ext. 2',
      verified: false,
      locked: true,
    });
    expect((await call('GET', '/admin/v1/accounts/plain@example.com')).body).toMatchObject({
      position: null,
      verified: false,
      locked: false,
    });

    const audit = await call('GET', '/admin/v1/audit?action=account.create&actor=admin');
    expect(audit.body.entries.map((entry: { subject: string }) => entry.subject).sort()).toEqual([
      'account:jane@example.com',
      'account:multi@example.com',
      'account:plain@example.com',
    ]);
  });

  it('reports each failing row with its row number and creates the valid rows', async () => {
    const { store, call, company, upload } = await setup();
    await makeAccount(store, { email: 'existing@example.com', companyId: company.companyId });
    const csv = [
      'email,name,verified', // row 1
      'ok1@example.com,First,', // 2
      'not-an-email,Bad Email,', // 3
      'OK1@example.com,Duplicate In File,', // 4
      'existing@example.com,Exists,', // 5
      'noname@example.com,,', // 6
      '', // 7: blank, skipped
      'flag@example.com,Bad Flag,maybe', // 8
      'short@example.com,Too Few', // 9
      ',No Email,', // 10
      'ok2@example.com,Second,true', // 11
    ].join('\n');
    const result = await upload(csv);
    expect(result).toEqual({
      status: 200,
      body: {
        created: 2,
        errors: [
          { row: 3, message: 'Invalid email not-an-email.' },
          { row: 4, message: 'The email OK1@example.com appears in an earlier row of the file.' },
          { row: 5, message: 'An account existing@example.com exists already.' },
          { row: 6, message: 'Invalid name: it must not be empty.' },
          { row: 8, message: 'Invalid verified maybe: use true/false, 1/0, yes/no or on/off.' },
          { row: 9, message: 'Invalid CSV: the row has 2 fields where the header has 3.' },
          { row: 10, message: 'Invalid email: it must not be empty.' },
        ],
      },
    });
    const accounts = await call('GET', `/admin/v1/accounts?companyId=${company.companyId}`);
    expect(accounts.body.accounts.map((account: { email: string }) => account.email)).toEqual([
      'existing@example.com',
      'ok1@example.com',
      'ok2@example.com',
    ]);
  });

  it('with atomic=true creates nothing when any row fails (400 with the row errors)', async () => {
    const { store, upload } = await setup();
    await makeAccount(store, { email: 'existing@example.com' });
    const before = await snapshot(store);
    const csv = 'email,name\nfine@example.com,Fine\nexisting@example.com,Exists\nalso-fine@example.com,Also Fine\n';
    const result = await upload(csv, '?atomic=true');
    expect(result).toEqual({
      status: 400,
      body: {
        ...errorBody('No account was imported: 1 row of the file failed (atomic=true).'),
        created: 0,
        errors: [{ row: 3, message: 'An account existing@example.com exists already.' }],
      },
    });
    expect(await snapshot(store)).toEqual(before);

    const plural = await upload('email,name\nx,X\ny,Y\n', '?atomic=true');
    expect(plural.body.message).toBe('No account was imported: 2 rows of the file failed (atomic=true).');
  });

  it('with atomic=true creates every row when all are valid', async () => {
    const { store, upload } = await setup();
    const before = await snapshot(store);
    const result = await upload('email,name\na@example.com,A\nb@example.com,B\n', '?atomic=true');
    expect(result).toEqual({ status: 200, body: { created: 2, errors: [] } });
    const after = await snapshot(store);
    expect(after.accounts.length).toBe(before.accounts.length + 2);
    expect(after.audit.length).toBe(before.audit.length + 2);
  });

  it('refuses a file with a bad header or broken quoting (400) and changes nothing', async () => {
    const { store, upload } = await setup();
    const before = await snapshot(store);
    const allowed = '(allowed: email, name, position, phone, mobile, avatar, verified, locked)';
    const cases: [string, string][] = [
      ['', `Invalid CSV: the first row must name the columns, e.g. email,name ${allowed}.`],
      ['\n\nemail,name\n', `Invalid CSV: the first row must name the columns, e.g. email,name ${allowed}.`],
      ['email,name,department\na@example.com,A,IT\n', `Invalid CSV: unknown column "department" ${allowed}.`],
      ['email,position\na@example.com,IT\n', 'Invalid CSV: the header must name the column name.'],
      ['email,name,Email\n', 'Invalid CSV: the header names the column email twice.'],
      ['email,name\na@example.com,"open\n', 'Invalid CSV: record 2 has a quoted field without its closing quote.'],
      ['email,name\na@example.com,"A"x\n', 'Invalid CSV: record 2 has text after the closing quote of a field.'],
    ];
    for (const [csv, message] of cases) {
      const result = await upload(csv);
      expect({ csv, ...result }).toEqual({ csv, status: 400, body: errorBody(message) });
    }
    expect(await snapshot(store)).toEqual(before);
  });

  it('takes only text/csv (415 otherwise), with or without a charset', async () => {
    const { app, company } = await setup();
    const url = `/admin/v1/companies/${company.companyId}/accounts/import`;
    const authorization = `Bearer ${ADMIN_TOKEN}`;
    for (const [contentType, payload] of [
      ['application/json', '{"email":"a@example.com","name":"A"}'],
      ['application/x-www-form-urlencoded', 'email=a%40example.com&name=A'],
      ['text/plain', 'email,name\na@example.com,A\n'],
      [undefined, undefined],
    ] as const) {
      const headers: Record<string, string> = { authorization };
      if (contentType) headers['content-type'] = contentType;
      const response = await app.inject({ method: 'POST', url, headers, payload });
      expect({ contentType, status: response.statusCode, body: response.json() }).toEqual({
        contentType,
        status: 415,
        body: errorBody('Unsupported content type: send the accounts as text/csv.'),
      });
    }
    const withCharset = await app.inject({
      method: 'POST',
      url,
      headers: { authorization, 'content-type': 'text/csv; charset=utf-8' },
      payload: 'email,name\nzoë@example.com,Zoë\n',
    });
    expect({ status: withCharset.statusCode, body: withCharset.json() }).toEqual({
      status: 200,
      body: { created: 1, errors: [] },
    });
  });

  it('answers 404 for an unknown company, 400 for an invalid atomic flag', async () => {
    const { app, upload } = await setup();
    const unknown = await importCsv(app, UNKNOWN_ID, 'email,name\na@example.com,A\n');
    expect(unknown).toEqual({ status: 404, body: errorBody(`No company ${UNKNOWN_ID}.`) });
    const flag = await upload('email,name\na@example.com,A\n', '?atomic=perhaps');
    expect(flag).toEqual({ status: 400, body: errorBody('Invalid request: query parameter atomic must be boolean.') });
  });

  it('accepts a file larger than the public API’s 64 KiB body limit', async () => {
    const { upload } = await setup();
    const filler = 'x'.repeat(120);
    const rows = Array.from({ length: 600 }, (_, i) => `bulk${i}@example.com,Bulk ${i},${filler}`);
    const csv = `email,name,position\n${rows.join('\n')}\n`;
    expect(Buffer.byteLength(csv)).toBeGreaterThan(64 * 1024);
    const result = await upload(csv);
    expect(result).toEqual({ status: 200, body: { created: 600, errors: [] } });
  });
});
