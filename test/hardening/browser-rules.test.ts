/**
 * Browser rules (issue 5, "Hardening"; README, "Operations"): which answers a web page of another
 * origin may read (only the public person-info lookup), the CORS preflight for it, and the security
 * headers of every answer.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { makeAccount, makeCompany } from '../factories.js';
import { buildTestApp } from '../helper.js';

const ORIGIN = 'https://intranet.example.org';
const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'";

async function setup() {
  const test = await buildTestApp();
  const company = await makeCompany(test.store);
  const account = await makeAccount(test.store, { companyId: company.companyId, email: 'anna@example.com' });
  const inject = (options: InjectOptions) => test.app.inject(options);
  return { ...test, company, account, inject };
}

function expectSecurityHeaders(response: LightMyRequestResponse, csp = true): void {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['x-powered-by']).toBeUndefined();
  if (csp) expect(response.headers['content-security-policy']).toBe(STRICT_CSP);
}

describe('cross-origin reads', () => {
  it('lets any origin read the public person-info lookup (GET and HEAD by talkToMeId, no key)', async () => {
    const { inject, account } = await setup();
    for (const method of ['GET', 'HEAD'] as const) {
      const response = await inject({
        method,
        url: '/api/person-info',
        query: { talkToMeId: account.talkToMeId },
        headers: { origin: ORIGIN },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(response.headers['cache-control']).toBe('no-store');
      expectSecurityHeaders(response);
    }
    // Its errors are readable too (the page can show "not found").
    const missing = await inject({ method: 'GET', url: '/api/person-info', query: { talkToMeId: 'Q'.repeat(26) } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe('*');
  });

  it('gives no CORS allowance to a lookup with credentials, right or wrong, in the query or the header', async () => {
    const { inject, account, company } = await setup();
    const lookups: InjectOptions[] = [
      { query: { talkToMeId: account.talkToMeId, companyId: company.companyId, key: company.token() } },
      {
        query: { talkToMeId: account.talkToMeId, companyId: company.companyId },
        headers: { authorization: `Bearer ${company.token()}` },
      },
      { query: { talkToMeId: account.talkToMeId, companyId: company.companyId, key: 'wrong' } },
      { query: { email: 'anna@example.com', companyId: company.companyId, key: company.token() } },
    ];
    const statuses: number[] = [];
    for (const lookup of lookups) {
      const response = await inject({
        method: 'GET',
        url: '/api/person-info',
        ...lookup,
        headers: { origin: ORIGIN, ...lookup.headers },
      });
      statuses.push(response.statusCode);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['cache-control']).toBe('no-store');
      expectSecurityHeaders(response);
    }
    expect(statuses).toEqual([200, 200, 403, 200]);
  });

  it('gives no CORS allowance to the authenticated endpoints, nor to a POSTed lookup', async () => {
    const { inject, account, company } = await setup();
    const key = company.token();
    const requests: InjectOptions[] = [
      {
        method: 'GET',
        url: '/api/is-account',
        query: { companyId: company.companyId, email: 'anna@example.com', key },
      },
      {
        method: 'POST',
        url: '/api/out-of-office',
        payload: { companyId: company.companyId, accountEmail: 'anna@example.com', key },
      },
      {
        method: 'POST',
        url: '/api/do-not-disturb',
        payload: { companyId: company.companyId, accountEmail: 'anna@example.com', key },
      },
      { method: 'POST', url: '/api/person-info', payload: { talkToMeId: account.talkToMeId } },
    ];
    for (const request of requests) {
      const response = await inject({ ...request, headers: { origin: ORIGIN } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['cache-control']).toBe('no-store');
      expectSecurityHeaders(response);
    }
  });
});

describe('CORS preflight', () => {
  const preflight = (url: string, method: string, headers: Record<string, string> = {}): InjectOptions => ({
    method: 'OPTIONS',
    url,
    headers: { origin: ORIGIN, 'access-control-request-method': method, ...headers },
  });

  it('answers 204 with the allowance for a GET of person-info, allowing no header (no Authorization)', async () => {
    const { inject, account } = await setup();
    for (const url of ['/api/person-info', `/api/person-info?talkToMeId=${account.talkToMeId}`]) {
      const response = await inject(preflight(url, 'GET', { 'access-control-request-headers': 'authorization' }));
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD');
      expect(response.headers['access-control-allow-headers']).toBeUndefined();
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expectSecurityHeaders(response);
    }
  });

  it('keeps every other OPTIONS a 405 with Allow and the contract body, without allowance', async () => {
    const { inject } = await setup();
    const others: InjectOptions[] = [
      preflight('/api/person-info', 'POST'),
      preflight('/api/person-info', 'DELETE'),
      preflight('/api/is-account', 'GET'),
      preflight('/api/out-of-office', 'GET'),
      { method: 'OPTIONS', url: '/api/person-info' },
      { method: 'OPTIONS', url: '/api/person-info', headers: { 'access-control-request-method': 'GET' } },
    ];
    for (const request of others) {
      const response = await inject(request);
      expect({ status: response.statusCode, body: response.json() }).toEqual({
        status: 405,
        body: { success: false, error: true, message: 'Method not allowed: use GET, HEAD or POST.' },
      });
      expect(response.headers.allow).toBe('GET, HEAD, POST');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expectSecurityHeaders(response);
    }
  });
});

describe('security headers', () => {
  it('are on every answer: success, errors, unknown paths, oversized requests, operations', async () => {
    const { inject, company } = await setup();
    const requests: InjectOptions[] = [
      { method: 'GET', url: '/api/is-account', query: { companyId: company.companyId, email: 'anna@example.com' } },
      { method: 'GET', url: '/api/is-account', query: { companyId: company.companyId, email: 'x', key: 'k' } },
      { method: 'PUT', url: '/api/is-account' },
      { method: 'GET', url: '/nowhere' },
      { method: 'GET', url: `/api/is-account?email=${'a'.repeat(9000)}` },
      { method: 'POST', url: '/api/is-account', headers: { 'content-type': 'text/plain' }, payload: 'x' },
      { method: 'GET', url: '/healthz' },
      { method: 'GET', url: '/readyz' },
      { method: 'GET', url: '/openapi.json' },
    ];
    const statuses: number[] = [];
    for (const request of requests) {
      const response = await inject(request);
      statuses.push(response.statusCode);
      expectSecurityHeaders(response);
      expect(response.headers['cache-control']).toBe('no-store');
    }
    expect(statuses).toEqual([401, 400, 405, 404, 413, 415, 200, 200, 200]);
  });

  it('leave the docs page without the strict CSP (Swagger UI runs scripts), with the other headers', async () => {
    const { inject } = await setup();
    const page = await inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).not.toBe(STRICT_CSP);
    expectSecurityHeaders(page, false);
    const asset = await inject({ method: 'GET', url: '/docs/static/swagger-ui.css' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-security-policy']).not.toBe(STRICT_CSP);
    expect(asset.headers['cache-control']).not.toBe('no-store');
    expectSecurityHeaders(asset, false);
  });
});
