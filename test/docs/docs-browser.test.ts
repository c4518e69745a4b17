import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { makeAccount, makeCompany } from '../factories.js';
import { buildTestApp } from '../helper.js';

/** Debian's `chromium` package; CI installs it (.ci/run). */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = join('test-output', 'docs.png');
const ENDPOINTS = ['/api/is-account', '/api/person-info', '/api/out-of-office', '/api/do-not-disturb'];

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`Skipping the docs browser test: ${CHROMIUM} is absent (apt-get install chromium).`);
}

describe('the interactive reference at /docs', () => {
  test.skipIf(!hasChromium)(
    'lists the four endpoints, and "Try it out" calls the API',
    async () => {
      const { app, store } = await buildTestApp();
      const company = await makeCompany(store, { name: 'Docs Ltd.' });
      const dora = await makeAccount(store, { companyId: company.companyId, name: 'Dora Docs' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const foreign: string[] = [];
        const failures: string[] = [];
        page.on('request', (request) => {
          const url = request.url();
          if (!url.startsWith(origin) && !url.startsWith('data:')) foreign.push(url);
        });
        page.on('pageerror', (error) => failures.push(error.message));

        await page.goto(`${origin}/docs`);
        await page.waitForSelector('.opblock-summary-path', { timeout: 15_000 });
        for (const path of ENDPOINTS) {
          // One block for GET, one for POST.
          expect(await page.locator(`.opblock-summary-path[data-path="${path}"]`).count(), path).toBe(2);
        }
        expect(await page.locator('.info .title').textContent()).toContain('Switchboard Accounts API');
        expect(await page.locator('button.authorize').count()).toBe(1);

        mkdirSync('test-output', { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });

        // Try it out: the public lookup of person-info by talk-to-me identifier, from the page.
        const block = page.locator('#operations-Accounts_API-getApiPersonInfo');
        await block.locator('.opblock-summary').click();
        await block.locator('button.try-out__btn').click();
        await block.locator('tr[data-param-name="talkToMeId"] input').fill(dora.talkToMeId);
        await block.locator('button.execute').click();
        const answer = block.locator('.live-responses-table tbody tr.response').first();
        await answer.waitFor({ timeout: 15_000 });
        expect(await answer.locator('.response-col_status').textContent()).toContain('200');
        expect(await answer.locator('.response-col_description pre').first().textContent()).toContain(
          '"name": "Dora Docs"',
        );

        expect(foreign, 'requests that left the server (a CDN?)').toEqual([]);
        expect(failures).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
