import { type CsvRecord, parseCsv } from '../domain/csv.js';
import { emailKey } from '../domain/email.js';
import { fail, SwitchboardError } from '../domain/errors.js';
import { parseFlag } from '../domain/flag.js';
import type { Db } from '../store/store.js';
import { insertNewAccount, type NewAccount } from './accounts.js';
import type { Change } from './change.js';
import { getCompany } from './companies.js';

/** The columns an import file may have, in any order; `email` and `name` are required. */
export const IMPORT_COLUMNS = ['email', 'name', 'position', 'phone', 'mobile', 'avatar', 'verified', 'locked'] as const;
type Column = (typeof IMPORT_COLUMNS)[number];

export const MAX_IMPORT_ROWS = 10_000;

/** A row that was not imported; `row` counts the records of the file, the header being row 1. */
export interface ImportRowError {
  row: number;
  message: string;
}

export interface ImportResult {
  created: number;
  errors: ImportRowError[];
}

/** Thrown inside the transaction to roll back an atomic import with failed rows. */
class RowsFailed extends Error {}

/**
 * Creates the accounts of a CSV file in a company, each with the rules and the audit entry of
 * `account create`. The valid rows are created in one transaction; with `atomic`, none is created
 * when any row fails. A problem of the whole file (header, quoting, size) fails the call.
 */
export async function importAccounts(
  db: Db,
  companyId: string,
  csv: string,
  options: { atomic?: boolean },
  change: Change,
): Promise<ImportResult> {
  const { columns, rows } = readFile(csv);
  const errors: ImportRowError[] = [];
  let created = 0;
  try {
    await db.transaction().execute(async (trx) => {
      const company = await getCompany(trx, companyId);
      const firstRowOf = new Map<string, number>();
      for (const record of rows) {
        try {
          const input = rowInput(columns, record);
          const key = emailKey(input.email);
          if (firstRowOf.has(key)) fail('CSV_DUPLICATE_EMAIL', input.email.trim());
          firstRowOf.set(key, record.number);
          await insertNewAccount(trx, { ...input, companyId: company.id }, change);
          created++;
        } catch (error) {
          if (!(error instanceof SwitchboardError) || error.status >= 500) throw error;
          errors.push({ row: record.number, message: error.message });
        }
      }
      if (options.atomic && errors.length > 0) throw new RowsFailed();
    });
  } catch (error) {
    if (!(error instanceof RowsFailed)) throw error;
    created = 0;
  }
  return { created, errors };
}

function readFile(csv: string): { columns: Column[]; rows: CsvRecord[] } {
  const parsed = parseCsv(csv);
  if ('error' in parsed) fail('CSV_INVALID', parsed.error);
  const [header, ...records] = parsed.records;
  if (header === undefined || isBlank(header)) {
    fail('CSV_INVALID', `the first row must name the columns, e.g. email,name (allowed: ${IMPORT_COLUMNS.join(', ')})`);
  }
  const columns = header.fields.map((field) => {
    const name = field.trim().toLowerCase();
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) {
      fail('CSV_INVALID', `unknown column "${field}" (allowed: ${IMPORT_COLUMNS.join(', ')})`);
    }
    return name as Column;
  });
  for (const required of ['email', 'name'] as const) {
    if (!columns.includes(required)) fail('CSV_INVALID', `the header must name the column ${required}`);
  }
  const repeated = columns.find((column, index) => columns.indexOf(column) !== index);
  if (repeated) fail('CSV_INVALID', `the header names the column ${repeated} twice`);
  const rows = records.filter((record) => !isBlank(record));
  if (rows.length > MAX_IMPORT_ROWS) fail('CSV_INVALID', `more than ${MAX_IMPORT_ROWS} rows: split the file`);
  return { columns, rows };
}

/** A row as the input of `insertNewAccount`; empty optional fields stay unset. */
function rowInput(columns: Column[], record: CsvRecord): NewAccount {
  if (record.fields.length !== columns.length) {
    fail('CSV_INVALID', `the row has ${record.fields.length} fields where the header has ${columns.length}`);
  }
  const value = (column: Column) => {
    const index = columns.indexOf(column);
    return index < 0 ? '' : (record.fields[index] ?? '').trim();
  };
  if (value('email') === '') fail('INVALID_VALUE', 'email: it must not be empty');
  const input: NewAccount = { email: value('email'), name: value('name') };
  for (const column of ['position', 'phone', 'mobile', 'avatar'] as const) {
    if (value(column) !== '') input[column] = value(column);
  }
  for (const column of ['verified', 'locked'] as const) {
    if (value(column) === '') continue;
    input[column] =
      parseFlag(value(column)) ??
      fail('INVALID_VALUE', `${column} ${value(column)}: use true/false, 1/0, yes/no or on/off`);
  }
  return input;
}

function isBlank(record: CsvRecord): boolean {
  return record.fields.every((field) => field.trim() === '');
}
