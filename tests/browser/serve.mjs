// The 报送系统 in headless Chromium (playwright-core): `pucha serve --demo` on 127.0.0.1, then the whole workflow as
// its people do it — a county filer fills the self-check and submits, the city reviewer returns it with a reason,
// the filer fixes and resubmits, the city and the province approve, the province reads its roll-up and downloads
// the workbook, the public finds the site and leaves a message, an administrator registers a unit, an account and
// a site. XSS payloads go into every text field on the way and must render inert; no page may log a console error.
// Screenshots go to target/e2e/serve-*.png. Exits non-zero on any failure.
//
//   node tests/browser/serve.mjs [path/to/pucha]   (default target/debug/pucha; the widget from bindings/wasm/pkg)
import { chromium } from '../../bindings/wasm/node_modules/playwright-core/index.mjs';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(REPO, 'target', 'e2e');
const BIN = resolve(process.argv[2] || join(REPO, 'target', 'debug', 'pucha'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Payloads that would run if any page put user text into HTML unescaped.
const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>"'&`;

const dir = await mkdtemp(join(tmpdir(), 'pucha-serve-e2e-'));
await mkdir(OUT, { recursive: true });

// Start the server and read its address and the demo's passwords from what it prints.
const server = spawn(BIN, ['serve', '--demo', '--db', join(dir, 'demo.sqlite'), '--bind', '127.0.0.1:0', '--widget', join(REPO, 'bindings', 'wasm', 'pkg')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const passwords = {};
const base = await new Promise((ok, fail) => {
  const lines = createInterface({ input: server.stdout });
  lines.on('line', (line) => {
    const m = line.match(/^([a-z-]+)\s+([0-9a-f]{16})\s/);
    if (m) passwords[m[1]] = m[2];
    const at = line.match(/listening on (http:\/\/[^/ ]+)\//);
    if (at) ok(at[1]);
  });
  server.on('exit', (code) => fail(new Error(`pucha serve exited (${code}) before listening`)));
});

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push([name, null]);
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push([name, e]);
    console.log(`FAIL ${name}\n${e && e.stack ? e.stack : e}`);
  }
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
const problems = [];

/** A browser of its own for one person, signed in. */
async function person(login) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${login}: pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${login}: console error: ${m.text()} (${page.url()})`);
  });
  if (login) {
    await page.goto(`${base}/login`);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', passwords[login]);
    await Promise.all([page.waitForNavigation(), page.click('form button')]);
    assert.doesNotMatch(page.url(), /\/login/, `${login} signed in`);
  }
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(OUT, `serve-${name}.png`), fullPage: true });
}

/** Nothing planted ran, and the payload shows as text where it was typed. */
async function inert(page, where) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, `a payload ran on ${where}`);
  assert.equal(await page.locator('img[src=x]').count(), 0, `an <img> from a payload on ${where}`);
}

const SITE = '5100000015'; // 甲市东县人民政府门户网站, owned by 东县
let filingUrl = '';
try {
  const filer = await person('dong-tianbao');
  const city = await person('jia-shenhe');
  const province = await person('sheng-shenhe');

  await check('the county filer lands on the county and files the self-check through the widget', async () => {
    assert.match(await filer.locator('h1').innerText(), /东县/);
    await filer.goto(`${base}/sites/${SITE}`);
    await filer.click('text=新建填报');
    await filer.waitForSelector('pucha-self-check [data-out="verdict"]', { timeout: 20000 });
    const W = 'pucha-self-check';
    const values = {
      'site.name': `东县门户 ${XSS}`,
      'availability.visits': '700',
      'availability.failures': '14',
      'links.homepage_broken': '3',
      'links.other_broken': '25',
      'homepage.updates_in_window': '12',
    };
    for (const [name, v] of Object.entries(values)) await filer.fill(`${W} [name="${name}"]`, v);
    // The widget scores as the filer types, and the page's script copies its observation into the form.
    await filer.waitForFunction(() => (document.getElementById('observation').value || '').includes('"failures": 14'), null, { timeout: 10000 });
    await shot(filer, 'filer-self-check');
    await Promise.all([filer.waitForNavigation(), filer.click('button[value=submit]')]);
    filingUrl = filer.url();
    assert.match(filingUrl, /\/filings\/\d+$/);
    assert.match(await filer.locator('#state').innerText(), /已报送 · 待审核单位：甲市人民政府办公室/);
    await inert(filer, 'the filing page');
    await shot(filer, 'filer-submitted');
  });

  await check('the city reviewer finds it in the queue and returns it with a reason', async () => {
    await city.goto(`${base}/units/2`);
    const link = city.locator(`a[href="${new URL(filingUrl).pathname}"]`).first();
    assert.equal(await link.count(), 1, 'in the city queue');
    await link.click();
    await city.fill('#reason', `首页错链数与监测不符，请核实 ${XSS}`);
    await Promise.all([city.waitForNavigation(), city.click('#return')]);
    assert.match(await city.locator('#state').innerText(), /已退回/);
    await inert(city, 'the returned filing');
    await shot(city, 'city-returned');
  });

  await check('the filer sees the reason, fixes the observation and resubmits', async () => {
    await filer.goto(filingUrl);
    const reason = await filer.locator('#return-reason').innerText();
    assert.match(reason, /首页错链数与监测不符/);
    assert.ok(reason.includes('<img src=x'), 'the payload shows as text');
    await inert(filer, 'the returned filing, seen by the filer');
    await filer.click('#edit');
    const text = await filer.inputValue('#observation');
    const obs = JSON.parse(text);
    obs.links.homepage_broken = 0;
    await filer.fill('#observation', JSON.stringify(obs));
    await Promise.all([filer.waitForNavigation(), filer.click('button[value=draft]')]);
    await Promise.all([filer.waitForNavigation(), filer.click('#submit')]);
    assert.match(await filer.locator('#state').innerText(), /已重新报送/);
    const history = await filer.locator('#history').innerText();
    for (const step of ['create', 'submit', 'return', 'edit']) assert.match(history, new RegExp(step));
    await shot(filer, 'filer-resubmitted');
  });

  await check('the city approves; the province approves at the root', async () => {
    await city.goto(filingUrl);
    await Promise.all([city.waitForNavigation(), city.click('#approve')]);
    assert.match(await city.locator('#state').innerText(), /待审核单位：示例省人民政府办公厅/);
    await province.goto(`${base}/units/1`);
    assert.equal(await province.locator(`a[href="${new URL(filingUrl).pathname}"]`).count() > 0, true, 'in the province queue');
    await province.goto(filingUrl);
    await Promise.all([province.waitForNavigation(), province.click('#approve')]);
    assert.match(await province.locator('#state').innerText(), /已通过/);
    await shot(province, 'province-approved');
  });

  await check('the province reads its roll-up and downloads the 上报表 workbook', async () => {
    await province.goto(`${base}/units/1/rollup`);
    assert.match(await province.locator('body').innerText(), /示例省/);
    await shot(province, 'province-rollup');
    await province.goto(`${base}/units/1`);
    const [download] = await Promise.all([
      province.waitForEvent('download'),
      province.click('a[href$="workbook.xlsx"]'),
    ]);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
    assert.ok(bytes.length > 5000, `workbook of ${bytes.length} B`);
    // The printable score sheet shows the site name typed in the widget as text.
    await province.goto(`${filingUrl}/report.html`);
    await inert(province, 'the score sheet');
  });

  await check('the public finds the site, sees its published verdict and leaves a message', async () => {
    const anyone = await person(null);
    await anyone.goto(`${base}/public`);
    await anyone.fill('input[name=q]', '东县');
    await Promise.all([anyone.waitForNavigation(), anyone.click('form.search button')]);
    const row = anyone.locator('#directory tr', { hasText: SITE });
    assert.match(await row.innerText(), /合格|不合格|未评定/);
    await row.locator('a').click();
    await anyone.fill('textarea[name=body]', `首页打不开 ${XSS}`);
    await anyone.fill('input[name=contact]', `公众 ${XSS}`);
    await Promise.all([anyone.waitForNavigation(), anyone.click('#feedback button')]);
    assert.equal(await anyone.locator('#sent').count(), 1);
    await shot(anyone, 'public-feedback');
    await anyone.context().close();
    // It lands in the owning county's subtree: the city reads it, payloads inert.
    await city.goto(`${base}/units/2/feedback`);
    assert.match(await city.locator('table').innerText(), /首页打不开/);
    await inert(city, 'the public messages');
  });

  await check('an administrator registers a unit, an account and a site; the check code shows once', async () => {
    const admin = await person('admin');
    await admin.fill('form[action="/units/1/units"] input[name=name]', `新区 ${XSS}`);
    await Promise.all([admin.waitForNavigation(), admin.click('form[action="/units/1/units"] button')]);
    const unitUrl = admin.url();
    assert.match(unitUrl, /\/units\/\d+$/);
    await inert(admin, 'a unit named with a payload');
    const id = unitUrl.split('/').pop();
    await admin.fill(`form[action="/units/${id}/accounts"] input[name=login]`, 'xinqu-tianbao');
    await admin.fill(`form[action="/units/${id}/accounts"] input[name=display_name]`, `填报员 ${XSS}`);
    await admin.fill(`form[action="/units/${id}/accounts"] input[name=password]`, 'a-long-password');
    await Promise.all([admin.waitForNavigation(), admin.click(`form[action="/units/${id}/accounts"] button`)]);
    assert.match(await admin.locator('main').innerText(), /xinqu-tianbao/);
    await admin.goto(unitUrl);
    await admin.fill(`form[action="/units/${id}/sites"] input[name=code]`, '5100000099');
    await admin.fill(`form[action="/units/${id}/sites"] input[name=name]`, `新区网站 ${XSS}`);
    await Promise.all([admin.waitForNavigation(), admin.click(`form[action="/units/${id}/sites"] button`)]);
    assert.match(await admin.locator('#secret').innerText(), /^[2-9A-HJKMNP-Z]{16}$/);
    await inert(admin, 'the registered site');
    await shot(admin, 'admin-site-registered');
    await admin.goto(unitUrl);
    await inert(admin, 'the unit page listing the payloads');
    // English on request.
    await admin.click('a.lang');
    assert.match(await admin.locator('header').innerText(), /Site directory/);
    await shot(admin, 'admin-english');
  });

  await check('no page logged an error', async () => {
    assert.deepEqual(problems, []);
  });
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
}

const failed = results.filter(([, e]) => e);
console.log(`\n${results.length - failed.length} of ${results.length} checks passed; screenshots in ${OUT}`);
process.exit(failed.length ? 1 : 0);
