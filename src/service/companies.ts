import { HASH_FUNCTIONS, type HashFunction } from '../domain/access-token.js';
import { isTimeZone } from '../domain/calendar.js';
import { fail } from '../domain/errors.js';
import { newApiKey, newIdentifier, normalizeIdentifier } from '../domain/identifiers.js';
import { recordAudit } from '../store/repositories/audit.js';
import * as companies from '../store/repositories/companies.js';
import type { CompanyRow } from '../store/schema/index.js';
import type { Db } from '../store/store.js';
import { type Change, timestamp } from './change.js';

/** A company as the operator's tools show it; the API key only appears when it is created or rotated. */
export interface CompanyJson {
  companyId: string;
  name: string;
  hash: HashFunction;
  timezone: string;
  createdAt: string;
  updatedAt: string;
}

export interface CompanySettings {
  name?: string;
  hash?: string;
  timezone?: string;
}

export function companyJson(row: CompanyRow): CompanyJson {
  return {
    companyId: row.id,
    name: row.name,
    hash: row.hash,
    timezone: row.timezone,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkSettings(settings: CompanySettings): void {
  if (settings.name !== undefined && settings.name.trim() === '') fail('INVALID_VALUE', 'name: it must not be empty');
  if (settings.hash !== undefined && !(HASH_FUNCTIONS as readonly string[]).includes(settings.hash)) {
    fail('INVALID_VALUE', `hash ${settings.hash}: use sha256 or md5`);
  }
  if (settings.timezone !== undefined && !isTimeZone(settings.timezone)) {
    fail('INVALID_VALUE', `time zone ${settings.timezone}: use an IANA name such as Europe/Berlin`);
  }
}

export async function getCompany(db: Db, id: string): Promise<CompanyRow> {
  return (await companies.findCompany(db, normalizeIdentifier(id))) ?? fail('COMPANY_NOT_FOUND', id);
}

export async function createCompany(
  db: Db,
  settings: CompanySettings & { name: string },
  change: Change,
): Promise<CompanyJson & { apiKey: string }> {
  checkSettings(settings);
  const at = timestamp(change);
  const row: CompanyRow = {
    id: newIdentifier(),
    name: settings.name.trim(),
    api_key: newApiKey(),
    hash: (settings.hash as HashFunction | undefined) ?? 'sha256',
    timezone: settings.timezone ?? 'UTC',
    created_at: at,
    updated_at: at,
  };
  await db.transaction().execute(async (trx) => {
    await companies.insertCompany(trx, row);
    const { api_key: _secret, ...visible } = row;
    await recordAudit(trx, { ...audit(change, row.id, 'company.create'), before: null, after: visible });
  });
  return { ...companyJson(row), apiKey: row.api_key };
}

export async function updateCompany(
  db: Db,
  id: string,
  settings: CompanySettings,
  change: Change,
): Promise<CompanyJson> {
  checkSettings(settings);
  return db.transaction().execute(async (trx) => {
    const before = await getCompany(trx, id);
    const patch = {
      name: settings.name?.trim() ?? before.name,
      hash: (settings.hash as HashFunction | undefined) ?? before.hash,
      timezone: settings.timezone ?? before.timezone,
      updated_at: timestamp(change),
    };
    await companies.updateCompany(trx, before.id, patch);
    const changed = { name: before.name, hash: before.hash, timezone: before.timezone };
    await recordAudit(trx, { ...audit(change, before.id, 'company.update'), before: changed, after: patch });
    return companyJson({ ...before, ...patch });
  });
}

/** Replaces the company's API key; tokens made from the old key stop working at once. */
export async function rotateCompanyKey(
  db: Db,
  id: string,
  change: Change,
): Promise<{ companyId: string; apiKey: string }> {
  return db.transaction().execute(async (trx) => {
    const company = await getCompany(trx, id);
    const apiKey = newApiKey();
    await companies.updateCompany(trx, company.id, { api_key: apiKey, updated_at: timestamp(change) });
    // The audit trail records that the key changed, never the key.
    await recordAudit(trx, { ...audit(change, company.id, 'company.rotate-key'), before: null, after: null });
    return { companyId: company.id, apiKey };
  });
}

export async function listCompanies(db: Db): Promise<CompanyJson[]> {
  return (await companies.listCompanies(db)).map(companyJson);
}

function audit(change: Change, companyId: string, action: string) {
  return { at: timestamp(change), actor: change.actor, action, companyId, subject: `company:${companyId}` };
}
