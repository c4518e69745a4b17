import { HASH_FUNCTIONS, type HashFunction } from '../domain/access-token.js';
import { isTimeZone } from '../domain/calendar.js';
import { parseDuration } from '../domain/duration.js';
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
    previous_api_key: null,
    previous_key_expires_at: null,
    hash: (settings.hash as HashFunction | undefined) ?? 'sha256',
    timezone: settings.timezone ?? 'UTC',
    created_at: at,
    updated_at: at,
  };
  await db.transaction().execute(async (trx) => {
    await companies.insertCompany(trx, row);
    const { api_key: _key, previous_api_key: _previous, previous_key_expires_at: _until, ...visible } = row;
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

export interface RotateKeyOptions {
  /**
   * How long the key being replaced keeps working, as `30m`, `24h` or `7d` (at most 90 days), so
   * that integrations can switch without downtime. Without it the old key stops at once.
   */
  grace?: string;
}

export interface RotatedKey {
  companyId: string;
  apiKey: string;
  /** When the replaced key stops working (ISO timestamp), or null: it stopped at once. */
  previousKeyValidUntil: string | null;
}

const MAX_GRACE_MS = 90 * 86_400_000;

/**
 * Replaces the company's API key. The replaced key stops working at once, or at the end of
 * `options.grace`; a key replaced earlier (still in its grace period) stops at once either way.
 */
export async function rotateCompanyKey(
  db: Db,
  id: string,
  change: Change,
  options: RotateKeyOptions = {},
): Promise<RotatedKey> {
  const graceMs = options.grace === undefined ? undefined : gracePeriod(options.grace);
  return db.transaction().execute(async (trx) => {
    const company =
      (await companies.findCompanyForUpdate(trx, normalizeIdentifier(id))) ?? fail('COMPANY_NOT_FOUND', id);
    const apiKey = newApiKey();
    const until = graceMs === undefined ? null : new Date(change.now.getTime() + graceMs).toISOString();
    await companies.updateCompany(trx, company.id, {
      api_key: apiKey,
      previous_api_key: until === null ? null : company.api_key,
      previous_key_expires_at: until,
      updated_at: timestamp(change),
    });
    // The audit trail records that the key changed, never the key.
    const after = { previousKeyValidUntil: until };
    await recordAudit(trx, { ...audit(change, company.id, 'company.rotate-key'), before: null, after });
    return { companyId: company.id, apiKey, previousKeyValidUntil: until };
  });
}

function gracePeriod(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms > MAX_GRACE_MS) {
    fail('INVALID_VALUE', `grace period ${text}: use minutes, hours or days up to 90 days, such as 30m, 24h or 7d`);
  }
  return ms;
}

export async function listCompanies(db: Db): Promise<CompanyJson[]> {
  return (await companies.listCompanies(db)).map(companyJson);
}

function audit(change: Change, companyId: string, action: string) {
  return { at: timestamp(change), actor: change.actor, action, companyId, subject: `company:${companyId}` };
}
