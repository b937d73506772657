// Opens HTML files (the report and roll-up pages pucha writes) in Debian's headless Chromium, fails on any console
// or page error, checks that they print on A4, and renders each to PNG next to it (test artefacts). A Chinese 上报表
// is printed to PDF and read back with poppler's pdftotext: every printed page numbered "i / N", the site's name at
// the head of each page of a one-site form, one 合计 row and one 填报单位（盖章） line per site, and no machine tokens
// (window codes, snake_case words, `fact.path =`, `os error N`) once URLs and file names are taken out.
// Usage: node tests/browser/render-html.mjs FILE.html... (playwright-core comes from bindings/wasm's npm tools).
import { chromium } from '../../bindings/wasm/node_modules/playwright-core/index.mjs';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: render-html.mjs FILE.html...');
  process.exit(2);
}
/** The machine tokens left in printed text (review 10.2), URLs and file names taken out first. */
export function machineTokens(text) {
  // A URL or word wrapped inside a table cell is one again.
  const joined = text.replace(/([A-Za-z0-9_./:%?=&-])\n([A-Za-z0-9_./:%?=&-])/g, '$1$2');
  const plain = joined
    .replace(/\S*:\/\/\S*/g, ' ')
    .replace(/www\.\S*/g, ' ')
    .replace(/[\w./-]+\.[a-z0-9]{2,4}\b/gi, ' ');
  const found = [];
  for (const re of [/[（(]\d+(w|mo|y|d)[）)]/g, /\b[a-z]+_[a-z_]+\b/g, /\b[a-z]+\.[a-z_]+ =/g, /os error \d+/g]) {
    for (const m of plain.matchAll(re)) found.push(m[0]);
  }
  return found;
}

/** What the printed form says, page by page (pdftotext's form feeds). */
function pdfPages(pdfFile) {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
}

/** The checks of a printed Chinese 上报表 (`info` from the page: how many forms, the one site's name). */
function checkPrint(pages, info) {
  const problems = [];
  const all = pages.join('\n');
  pages.forEach((text, i) => {
    if (!new RegExp(`\\b${i + 1}\\s*/\\s*${pages.length}\\b`).test(text)) {
      problems.push(`page ${i + 1} has no "${i + 1} / ${pages.length}"`);
    }
    if (info.forms === 1 && !text.includes(`${info.site} · `)) problems.push(`page ${i + 1} does not name the site at its head`);
  });
  const count = (s) => all.split(s).length - 1;
  if (count('合计：') !== info.forms) problems.push(`${count('合计：')} 合计 rows for ${info.forms} forms`);
  if (count('填报单位（盖章）') !== info.forms) problems.push(`${count('填报单位（盖章）')} seal lines for ${info.forms} forms`);
  for (const s of ['单位负责人', '审核人', '填报人', '联系电话', '填报日期']) {
    if (count(s) < info.forms) problems.push(`no ${s} line`);
  }
  const tokens = machineTokens(all);
  if (tokens.length) problems.push(`machine tokens in the print: ${[...new Set(tokens)].join(', ')}`);
  return problems;
}

// The scanner finds what it looks for, and not in URLs or file names.
for (const [text, n] of [['起（6mo）无新信息', 1], ['按给出的计数 links.homepage_broken = 2', 2], ['(os error 111)', 1],
  ['见于 http://a.gov.cn/x_y/ 与 logo_old.png，共 2 周', 0], ['http://a.gov.cn/a_\nb_c.html', 0]]) {
  if (machineTokens(text).length !== n) {
    console.error(`the token scanner is wrong on ${JSON.stringify(text)}: ${machineTokens(text)}`);
    process.exit(1);
  }
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
      zh: document.documentElement.lang === 'zh-CN',
      forms: document.querySelectorAll('article.report').length,
      site: document.querySelector('td[data-field="网站名称"]')?.textContent ?? '',
    }));
    if (info.tables === 0) problems.push('no table on the page');
    if (info.external.length) problems.push(`not self-contained: ${info.external.join(', ')}`);
    await page.screenshot({ path: f.replace(/\.html$/, '') + '.png', fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    if (pdf.length < 1000) problems.push('the print (PDF) is empty');
    let printed = '';
    if (info.zh && info.forms > 0) {
      const pdfFile = f.replace(/\.html$/, '') + '.pdf';
      await writeFile(pdfFile, pdf);
      const pages = pdfPages(pdfFile);
      problems.push(...checkPrint(pages, info));
      printed = `, ${pages.length} printed pages checked`;
    }
    await page.close();
    if (problems.length) {
      failed += 1;
      console.log(`FAIL ${f}\n  ${problems.join('\n  ')}`);
    } else {
      console.log(`ok   ${f} (${info.tables} tables, A4 print ${pdf.length} bytes${printed}, PNG written)`);
    }
  }
} finally {
  await ctx.close();
  await rm(profile, { recursive: true, force: true });
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
