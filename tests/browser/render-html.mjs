// Opens HTML files (the report and roll-up pages pucha writes) in Debian's headless Chromium, fails on any console
// or page error, checks that they print on A4, and renders each to PNG next to it (test artefacts).
// Usage: node tests/browser/render-html.mjs FILE.html... (playwright-core comes from bindings/wasm's npm tools).
import { chromium } from '../../bindings/wasm/node_modules/playwright-core/index.mjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: render-html.mjs FILE.html...');
  process.exit(2);
}
const profile = await mkdtemp(join(tmpdir(), 'pucha-html-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 900, height: 1200 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = 0;
try {
  for (const f of files) {
    const page = await ctx.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => ['error', 'warning'].includes(m.type()) && problems.push(`console ${m.type()}: ${m.text()}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(resolve(f)).href);
    const info = await page.evaluate(() => ({
      tables: document.querySelectorAll('table').length,
      title: document.title,
      external: [...document.querySelectorAll('[src],link[href]')].map((e) => e.getAttribute('src') || e.getAttribute('href')),
    }));
    if (info.tables === 0) problems.push('no table on the page');
    if (info.external.length) problems.push(`not self-contained: ${info.external.join(', ')}`);
    await page.screenshot({ path: f.replace(/\.html$/, '') + '.png', fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    if (pdf.length < 1000) problems.push('the print (PDF) is empty');
    await page.close();
    if (problems.length) {
      failed += 1;
      console.log(`FAIL ${f}\n  ${problems.join('\n  ')}`);
    } else {
      console.log(`ok   ${f} (${info.tables} tables, A4 print ${pdf.length} bytes, PNG written)`);
    }
  }
} finally {
  await ctx.close();
  await rm(profile, { recursive: true, force: true });
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
