// End-to-end test of the demo page in Debian's headless Chromium, driven by playwright-core.
// Serves bindings/wasm on 127.0.0.1 (a small static server started here), fills the self-check form for a failing
// and a passing site, switches language, imports a shared vector's observation, exports it back, checks the
// phone-width layout and keyboard access. Screenshots go to target/e2e/. Exits non-zero on any failure.
// (Timings are measured by bench/browser.mjs, not here.)
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile, mkdir, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..'); // bindings/wasm: demo/ and pkg/
const REPO = resolve(ROOT, '..', '..');
const OUT = join(REPO, 'target', 'e2e');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

function serve() {
  const server = createServer(async (req, res) => {
    try {
      const path = resolve(ROOT, '.' + decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (!path.startsWith(ROOT + sep)) throw new Error('outside');
      const body = await readFile(path);
      const headers = { 'content-type': TYPES[extname(path)] || 'application/octet-stream' };
      // The policy a portal would set (bindings/wasm/README.md): scripts from the site only, WebAssembly allowed.
      if (new URL(req.url, 'http://x').searchParams.has('csp')) {
        headers['content-security-policy'] = "script-src 'self' 'wasm-unsafe-eval'";
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const results = [];
// Poll a locator's text until it matches (imports read files asynchronously).
async function waitText(locator, re, ms = 5000) {
  const end = Date.now() + ms;
  let text = '';
  while (Date.now() < end) {
    text = await locator.innerText().catch(() => '');
    if (re.test(text)) return text;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.match(text, re);
  return text;
}
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

const FAILING = {
  'site.name': '示例县人民政府门户网站',
  'availability.visits': '700',
  'availability.failures': '14',
  'links.homepage_broken': '3',
  'links.other_broken': '25',
  'homepage.updates_in_window': '10',
  'columns.stale.policy': '2',
  'columns.stale.personnel': '1',
  'interaction.consultation.exists': 'true',
  'interaction.consultation.valid_messages': '20',
  'interaction.consultation.overdue_messages': '0',
  'interaction.survey.activities': '2',
  'interaction.interview.activities': '1',
  'services.missing_element_categories': '3',
  'services.attachments_not_offered': '2',
  'services.attachments_broken': '0',
  'services.online_systems_unreachable': '0',
  'content.confirmed': '0',
};

await mkdir(OUT, { recursive: true });
const server = await serve();
const base = `http://127.0.0.1:${server.address().port}`;
const profile = await mkdtemp(join(tmpdir(), 'pucha-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1280, height: 900 },
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const problems = [];
// 清空 asks first: accepted here, unless a check says otherwise.
let answerDialogs = true;
context.on('dialog', (d) => (answerDialogs ? d.accept() : d.dismiss()));
// Each page starts without a saved draft, except where a check keeps it (`?keep-draft`).
await context.addInitScript(() => {
  if (!location.search.includes('keep-draft')) localStorage.clear();
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  const W = 'pucha-self-check';
  const field = (name) => page.locator(`${W} [name="${name}"]`);
  const out = (name) => page.locator(`${W} [data-out="${name}"]`);
  const row = (id) => page.locator(`${W} tr[data-rule="${id}"]`);

  // Another page of the same browser, its problems recorded with the others, whose WebAssembly module arrives `ms`
  // late (routing bypasses the HTTP cache, so the delay is real).
  async function slowPage(ms) {
    const p = await context.newPage();
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await p.route('**/pucha_wasm_bg.wasm', async (route) => {
      await new Promise((r) => setTimeout(r, ms));
      await route.continue();
    });
    return p;
  }

  async function fill(values) {
    for (const [name, v] of Object.entries(values)) {
      const f = field(name);
      if ((await f.evaluate((el) => el.tagName)) === 'SELECT') await f.selectOption(v);
      else await f.fill(v);
    }
  }

  await check('the demo page loads and scores the empty form', async () => {
    await page.goto(`${base}/demo/index.html`);
    const first = await page.evaluate(() => document.querySelector('pucha-self-check').ready);
    assert.ok(first > 0);
    await page.waitForSelector(`${W} [data-out="verdict"]`);
    // Nothing entered: every rule but the site facts lacks data, the page says so, and the verdict is 未评定.
    assert.equal(await out('verdict').innerText(), '未评定');
    assert.match(await page.locator(`${W} [data-note="complete"]`).innerText(), /缺少数据/);
    assert.equal(await row('link-availability').getAttribute('data-status'), 'no_data');
  });

  await check('a failing site: 42.5 deducted is 不合格 (the 40-point rule)', async () => {
    await fill(FAILING);
    assert.equal(await out('verdict').innerText(), '不合格');
    assert.equal(await out('score').innerText(), '57.5');
    assert.equal(await out('deduction').innerText(), '42.5');
    assert.equal(await row('homepage-availability').locator('td.pts').innerText(), '10');
    assert.equal(await row('link-availability').locator('td.pts').innerText(), '5.5');
    assert.match(await row('link-availability').locator('td.why').innerText(), /首页错链 3 个，其他页面 25 个/);
    assert.equal(await row('basic-info').locator('td.pts').innerText(), '13');
    assert.equal(await row('survey').locator('td.pts').innerText(), '3');
    assert.equal(await row('service-guides').locator('td.pts').innerText(), '6');
    assert.match(await page.locator(`${W} [data-note="complete"]`).innerText(), /各项数据齐全/);
    // The official layout: 一级指标 spans its rows.
    const heads = await page.locator(`${W} thead th`).allInnerTexts();
    assert.deepEqual(heads, ['一级指标', '二级指标', '考察点', '扣分细则', '存在的问题', '扣分']);
    assert.equal(await page.locator(`${W} th[scope="rowgroup"]`).count(), 5);
    await page.screenshot({ path: join(OUT, 'failing-site.png'), fullPage: true });
  });

  await check('the same site with 7 failed visits passes: 37.5 deducted, 62.5', async () => {
    await fill({ 'availability.failures': '7' });
    assert.equal(await out('verdict').innerText(), '合格');
    assert.equal(await out('score').innerText(), '62.5');
    assert.equal(await out('deduction').innerText(), '37.5');
    assert.equal(await row('homepage-availability').locator('td.pts').innerText(), '5');
    await page.screenshot({ path: join(OUT, 'passing-site.png'), fullPage: true });
  });

  await check('5 % failed visits is a veto, with deductions shown but not counted', async () => {
    await fill({ 'availability.failures': '35' });
    assert.equal(await out('verdict').innerText(), '不合格');
    assert.equal(await out('score').innerText(), '—');
    assert.match(await out('vetoes').innerText(), /站点无法访问/);
    assert.equal(await row('site-unreachable').locator('td.pts').innerText(), '否决');
    // The table applies the veto in this item's place: no points, never "25 not counted".
    assert.equal(await row('homepage-availability').getAttribute('data-status'), 'not_applicable');
    assert.equal(await row('homepage-availability').locator('td.pts').innerText(), '0');
  });

  await check('bad input is named at its field, and scoring resumes when fixed', async () => {
    await fill({ 'availability.failures': '800' });
    const err = page.locator(`${W} .errors`);
    await waitText(err, /失败次数多于访问次数/);
    assert.doesNotMatch(await err.innerText(), /inconsistent/);
    assert.equal(await field('availability.failures').getAttribute('aria-invalid'), 'true');
    // The verdict still on screen is the input before: greyed while a field is invalid.
    const result = page.locator(`${W} .result`);
    assert.equal(await result.getAttribute('data-stale'), 'true');
    const opacity = await page.locator(`${W} .summary`).evaluate((el) => getComputedStyle(el).opacity);
    assert.ok(Number(opacity) < 1, opacity);
    await fill({ 'availability.failures': '1.5' });
    assert.match(await err.innerText(), /1 周内首页访问次数|其中失败次数/);
    await fill({ 'availability.failures': '7' });
    assert.equal(await err.innerText(), '');
    assert.equal(await result.getAttribute('data-stale'), null);
    assert.equal(await out('score').innerText(), '62.5');
  });

  await check('English toggle keeps the values and translates the table', async () => {
    await page.locator(`${W} button[data-act="lang"]`).click();
    assert.equal(await out('verdict').innerText(), 'Pass (合格)');
    assert.equal(await out('score').innerText(), '62.5');
    assert.match(await row('link-availability').locator('td.why').innerText(), /3 on the homepage|homepage/i);
    assert.equal(await field('links.other_broken').inputValue(), '25');
    const heads = await page.locator(`${W} thead th`).allInnerTexts();
    assert.equal(heads[0], 'Indicator');
    await page.screenshot({ path: join(OUT, 'english.png'), fullPage: true });
    await page.locator(`${W} button[data-act="lang"]`).click();
    assert.equal(await out('verdict').innerText(), '合格');
  });

  await check('importing a shared vector reproduces its expected verdict and score', async () => {
    const vec = JSON.parse(readFileSync(join(REPO, 'tests/vectors/census-2015/verdict.json'), 'utf8'));
    const c = vec.cases.find((x) => x.name.startsWith('40.1 fails'));
    const file = join(OUT, 'import-40.1.json');
    await writeFile(file, JSON.stringify(c.observation));
    await page.locator(`${W} input[type="file"]`).setInputFiles(file);
    await page.waitForFunction(() => document.querySelector('pucha-self-check').shadowRoot.querySelector('[data-note="import"]').textContent !== '');
    assert.equal(await out('verdict').innerText(), c.expected.verdict === 'pass' ? '合格' : '不合格');
    assert.equal(await out('score').innerText(), String(c.expected.score));
    assert.equal(await field('links.other_broken').inputValue(), String(c.observation.links?.other_broken ?? ''));
    await page.screenshot({ path: join(OUT, 'imported-vector.png'), fullPage: true });
  });

  await check('a broken file gives a message, not a crash', async () => {
    const file = join(OUT, 'broken.json');
    await writeFile(file, '{"monitoring_point": "2015-02-30", "site": {"name": "x"}}');
    await page.locator(`${W} input[type="file"]`).setInputFiles(file);
    await waitText(page.locator(`${W} .errors`), /2015-02-30/);
    await writeFile(file, '{not json');
    await page.locator(`${W} input[type="file"]`).setInputFiles(file);
    await waitText(page.locator(`${W} .errors`), /无法导入.*JSON/);
  });

  await check('export downloads the observation the form stands for', async () => {
    await page.locator(`${W} button[data-act="clear"]`).click();
    await fill({ ...FAILING, 'availability.failures': '7' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`${W} button[data-act="export"]`).click(),
    ]);
    const obs = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(obs.availability.visits, 700);
    assert.equal(obs.links.other_broken, 25);
    assert.equal(obs.site.kind, 'portal');
    // Re-imported, it scores the same.
    const file = join(OUT, 'exported.json');
    await writeFile(file, JSON.stringify(obs));
    await page.locator(`${W} input[type="file"]`).setInputFiles(file);
    await waitText(page.locator(`${W} [data-note="import"]`), /导入/);
    assert.equal(await out('score').innerText(), '62.5');
  });

  await check('every control has a label and the form works from the keyboard', async () => {
    const unlabeled = await page.evaluate(() => {
      const root = document.querySelector('pucha-self-check').shadowRoot;
      return [...root.querySelectorAll('form input, form select')]
        .filter((el) => !root.querySelector(`label[for="${el.id}"]`))
        .map((el) => el.name);
    });
    assert.deepEqual(unlabeled, []);
    await page.locator(`${W} button[data-act="clear"]`).click();
    await field('availability.visits').focus();
    await page.keyboard.type('700');
    await page.keyboard.press('Tab');
    await page.keyboard.type('14');
    assert.equal(await field('availability.failures').inputValue(), '14');
    assert.equal(await row('homepage-availability').locator('td.pts').innerText(), '10');
  });

  await check('re-scores on every keystroke', async () => {
    await page.locator(`${W} button[data-act="clear"]`).click();
    await fill(FAILING);
    const seen = await page.evaluate(() => {
      const el = document.querySelector('pucha-self-check');
      const input = el.shadowRoot.querySelector('[name="links.other_broken"]');
      const scores = [];
      el.addEventListener('pucha-score', (e) => scores.push(e.detail.report.total_deduction));
      for (const v of ['1', '10', '100']) {
        input.value = v;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      return scores;
    });
    // 10 + 3 + 13 + 3 + 3 + 6 + 2 = 40 without other-page links, then 0.1 per link.
    assert.deepEqual(seen, [40.1, 41, 50]);
  });

  await check('phone width: no horizontal scrolling, rows stack', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.waitForTimeout(100);
    const { scroll, display } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      display: getComputedStyle(document.querySelector('pucha-self-check').shadowRoot.querySelector('tbody tr')).display,
    }));
    assert.ok(scroll <= 375, `page is ${scroll}px wide at a 375px viewport`);
    assert.equal(display, 'block');
    // Typing far down the form, the verdict bar is at the top of the screen; 评分结果 is one line; a row without
    // data is folded to its title.
    await field('content.confirmed').scrollIntoViewIfNeeded();
    const phone = await page.evaluate(() => {
      const root = document.querySelector('pucha-self-check').shadowRoot;
      const bar = root.querySelector('[data-out="bar"]').getBoundingClientRect();
      const caption = root.querySelector('caption');
      const lineHeight = parseFloat(getComputedStyle(caption).lineHeight) || 24;
      const empty = root.querySelector('tr[data-status="no_data"]');
      const full = root.querySelector('tr[data-status="applied"], tr[data-status="passed"]');
      return {
        barTop: bar.top,
        barHeight: bar.height,
        captionLines: caption.getBoundingClientRect().height / lineHeight,
        emptyRow: empty ? empty.getBoundingClientRect().height : 0,
        fullRow: full ? full.getBoundingClientRect().height : 0,
      };
    });
    assert.ok(phone.barHeight > 0 && Math.abs(phone.barTop) < 2, JSON.stringify(phone));
    assert.ok(phone.captionLines < 1.5, JSON.stringify(phone));
    assert.ok(phone.emptyRow === 0 || phone.emptyRow < phone.fullRow / 2, JSON.stringify(phone));
    await page.screenshot({ path: join(OUT, 'phone.png'), fullPage: true });
  });

  await check('the widget fetches only the main module; TOML packs, text and pack descriptions after init({ full: true })', async () => {
    // A fresh page: an import error on the page above fetched the full module for the core's words.
    const fresh = await context.newPage();
    let fetched;
    try {
      await fresh.goto(`${base}/demo/index.html`);
      await fresh.evaluate(() => document.querySelector('pucha-self-check').ready);
      await fresh.locator(`${W} [name="availability.visits"]`).fill('700');
      fetched = await fresh.evaluate(() =>
        performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.wasm')),
      );
    assert.deepEqual(fetched.map((n) => n.split('/').pop()), ['pucha_wasm_bg.wasm']);
    const got = await fresh.evaluate(async () => {
      const pucha = await import('/pkg/index.js');
      const toml = '[pack]\nid = "mine"\nversion = "1"\ntitle = { zh = "我的", en = "Mine" }\n';
      const obs = { monitoring_point: '2015-06-30', site: { name: 'x' } };
      const caught = (fn) => {
        try {
          fn();
          return null;
        } catch (e) {
          return { name: e.name, code: e.code, help: e.help, line: e.line };
        }
      };
      const engine = new pucha.Engine('census-2015');
      const before = {
        toml: caught(() => pucha.loadPack(toml)),
        text: caught(() => engine.scoreText(obs)),
        info: caught(() => engine.info),
        call: caught(() => pucha.call({ observation: obs })),
      };
      await pucha.init({ full: true });
      const pack = pucha.loadPack(toml);
      const bad = caught(() => pucha.loadPack('[pack]\nid = 1\n'));
      return {
        before,
        id: pack.id,
        bad: { code: bad.code, line: bad.line },
        text: engine.scoreText(obs).split('\n')[0],
        rules: engine.rules.length,
        call: pucha.call({ observation: obs }).type,
        builtin: pucha.score(obs).pack.id,
      };
    });
    const help = 'call `await init({ full: true })` first';
    assert.deepEqual(got.before, {
      toml: { name: 'PackError', code: 'toml_unavailable', help, line: null },
      text: { name: 'PuchaError', code: 'full_module_unavailable', help, line: null },
      info: { name: 'PuchaError', code: 'full_module_unavailable', help, line: null },
      call: { name: 'PuchaError', code: 'full_module_unavailable', help, line: null },
    });
    assert.equal(got.id, 'mine');
    assert.deepEqual(got.bad, { code: 'invalid_type', line: 2 });
    assert.match(got.text, /全国政府网站普查评分表/);
    assert.equal(got.rules, 15);
    assert.equal(got.call, 'success');
    assert.equal(got.builtin, 'census-2015');
    const all = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.wasm')),
    );
    assert.deepEqual(all.map((n) => n.split('/').pop()), ['pucha_wasm_bg.wasm', 'pucha_wasm_full_bg.wasm']);
    } finally {
      await fresh.close();
    }
  });

  await check('on a slow connection the form shows while the engine loads, and what was typed is scored on arrival', async () => {
    const slow = await slowPage(2000);
    try {
      await slow.goto(`${base}/demo/index.html`);
      // The form is shown after the grace period, with the loading note, before the engine is there.
      await slow.waitForSelector(`${W} form`, { timeout: 1500 });
      assert.match(await slow.locator(`${W} .summary`).innerText(), /正在加载评分引擎/);
      assert.equal(await slow.locator(`${W} [data-out="verdict"]`).count(), 0);
      await slow.locator(`${W} [name="availability.visits"]`).fill('700');
      await slow.locator(`${W} [name="availability.failures"]`).fill('35');
      await slow.evaluate(() => document.querySelector('pucha-self-check').ready);
      assert.equal(await slow.locator(`${W} [data-out="verdict"]`).innerText(), '不合格');
      assert.match(await slow.locator(`${W} [data-out="vetoes"]`).innerText(), /站点无法访问/);
    } finally {
      await slow.close();
    }
  });

  await check('language and an imported observation set while the engine loads are applied when it arrives', async () => {
    const vec = JSON.parse(readFileSync(join(REPO, 'tests/vectors/census-2015/verdict.json'), 'utf8'));
    const c = vec.cases.find((x) => x.name.startsWith('40.1 fails'));
    const slow = await slowPage(1000);
    try {
      await slow.goto(`${base}/demo/index.html`);
      await slow.evaluate((obs) => {
        const el = document.querySelector('pucha-self-check');
        el.lang = 'en';
        el.setObservation(obs);
      }, c.observation);
      assert.match(await slow.locator(`${W} .summary`).innerText(), /Loading the scoring engine/);
      await slow.evaluate(() => document.querySelector('pucha-self-check').ready);
      const verdict = c.expected.verdict === 'pass' ? 'Pass (合格)' : 'Fail (不合格)';
      assert.equal(await slow.locator(`${W} [data-out="verdict"]`).innerText(), verdict);
      assert.equal(await slow.locator(`${W} [data-out="score"]`).innerText(), String(c.expected.score));
      assert.equal(
        await slow.locator(`${W} [name="links.other_broken"]`).inputValue(),
        String(c.observation.links?.other_broken ?? ''),
      );
    } finally {
      await slow.close();
    }
  });

  await check('a module that cannot be fetched is named in the widget, in both languages, and the page keeps working', async () => {
    const broken = await context.newPage();
    const seen = [];
    broken.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
    broken.on('console', (m) => seen.push(`console ${m.type()} ${m.text()}`));
    await broken.route('**/pucha_wasm_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
    try {
      await broken.goto(`${base}/demo/index.html`);
      // Nothing on the page waits for `ready` until the message is shown.
      const errors = broken.locator(`${W} .errors`);
      await waitText(errors, /无法加载评分引擎（\/pkg\/pucha_wasm_bg\.wasm: HTTP 404）/);
      await broken.waitForTimeout(100);
      const why = await broken.evaluate(() => document.querySelector('pucha-self-check').ready.then(() => 'ready', (e) => e.message));
      assert.match(why, /pucha_wasm_bg\.wasm: HTTP 404/);
      assert.equal(await broken.locator(`${W} .summary`).innerText(), '');
      await broken.locator(`${W} button[data-act="lang"]`).click();
      assert.match(await errors.innerText(), /Could not load the scoring engine \(\/pkg\/pucha_wasm_bg\.wasm: HTTP 404\)/);
      // The browser's own line about the failed fetch is the only console message: no unhandled rejection.
      assert.deepEqual(seen.filter((x) => !/^console error Failed to load resource: .*404/.test(x)), []);
    } finally {
      await broken.close();
    }
  });

  await check('a pack the main module leaves to the full one (checklist-2019): the widget fetches that and scores', async () => {
    const p = await context.newPage();
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    try {
      await p.goto(`${base}/demo/index.html`);
      await p.evaluate(() => document.querySelector('pucha-self-check').ready);
      await p.evaluate(() => document.querySelector('pucha-self-check').setAttribute('pack', 'checklist-2019'));
      await waitText(p.locator(`${W} .summary`), /政府网站与政务新媒体检查指标（2019，部分）/);
      assert.equal(await p.locator(`${W} .errors`).innerText(), '');
      const wasm = await p.evaluate(() =>
        performance.getEntriesByType('resource').map((r) => r.name.split('/').pop()).filter((n) => n.endsWith('.wasm')),
      );
      assert.ok(wasm.includes('pucha_wasm_full_bg.wasm'), wasm.join(', '));
    } finally {
      await p.close();
    }
  });

  await check('the widget says what is wrong in its language, by label, with no machine words', async () => {
    await page.goto(`${base}/demo/index.html`);
    await page.evaluate(() => document.querySelector('pucha-self-check').ready);
    const errors = page.locator(`${W} .errors`);
    if ((await page.locator(`${W} button[data-act="lang"]`).innerText()) === '中文') {
      await page.locator(`${W} button[data-act="lang"]`).click();
    }
    await page.locator(`${W} button[data-act="clear"]`).click();
    // One of a pair is no error while the second is still being typed.
    await field('availability.visits').fill('168');
    assert.equal(await errors.innerText(), '');
    await field('availability.failures').fill('200');
    await waitText(errors, /失败次数多于访问次数/);
    const said = await errors.innerText();
    assert.ok(!/inconsistent|failures|visits|[a-z]+_[a-z]+/.test(said), said);
    await field('availability.failures').fill('2');
    await waitText(errors, /^$/);
    // Rules without data name the fields by their labels, not `interaction.consultation.valid_messages`.
    const table = await page.locator(`${W} .table`).innerText();
    const tokens = table.replace(/https?:\S+/g, '').match(/[a-z]+\.[a-z_]+/g);
    assert.equal(tokens, null, String(tokens));
    // A report imported where an observation belongs: the core's words, with the hint.
    const file = join(OUT, 'a-report.json');
    await writeFile(
      file,
      JSON.stringify({ schema: 'pucha.report/1', pack: { id: 'census-2015', version: '1.0.0' }, monitoring_point: '2015-06-30', verdict: 'pass' }),
    );
    await page.locator(`${W} input[type="file"]`).setInputFiles(file);
    await waitText(errors, /无法导入.*这是评分结果，不是观测/);
    await writeFile(file, '[{"monitoring_point": "2015-06-30", "site": {"name": "x"}}]');
    await page.locator(`${W} input[type="file"]`).setInputFiles(file);
    await waitText(errors, /每个文件一个观测/);
    assert.ok(!/invalid type|sequence|struct/.test(await errors.innerText()));
  });

  await check('the 上报表 from the widget: the draft survives a reload, HTML and Excel export, print, 清空 asks', async () => {
    await page.goto(`${base}/demo/index.html?keep-draft`);
    await page.evaluate(() => document.querySelector('pucha-self-check').ready);
    if ((await page.locator(`${W} button[data-act="lang"]`).innerText()) === '中文') {
      await page.locator(`${W} button[data-act="lang"]`).click();
    }
    await page.locator(`${W} button[data-act="clear"]`).click();
    await fill(FAILING);
    await page.locator(`${W} details.sign summary`).click();
    await page.locator(`${W} [data-sign="unit"]`).fill('示例县人民政府办公室');
    await page.locator(`${W} [data-sign="filler"]`).fill('张三');
    await page.locator(`${W} [data-sign="phone"]`).fill('0571-87000000');
    // A reload loses nothing.
    await page.reload();
    await page.evaluate(() => document.querySelector('pucha-self-check').ready);
    assert.equal(await field('links.other_broken').inputValue(), FAILING['links.other_broken']);
    assert.equal(await page.locator(`${W} [data-sign="filler"]`).inputValue(), '张三');
    assert.equal(await out('verdict').innerText(), '不合格');
    // 导出 HTML 上报表: the signed table, which tests/browser/render-html.mjs prints to PDF and reads back.
    const [html] = await Promise.all([page.waitForEvent('download'), page.locator(`${W} button[data-act="export-html"]`).click()]);
    const text = await readFile(await html.path(), 'utf8');
    assert.ok(text.includes('填报单位（盖章）') && text.includes('示例县人民政府办公室') && text.includes('张三'));
    await writeFile(join(OUT, 'widget-report.html'), text);
    // 导出 Excel: the same workbook `pucha render --format xlsx` writes.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator(`${W} button[data-act="export-xlsx"]`).click()]);
    const book = await readFile(await xlsx.path());
    assert.equal(book.subarray(0, 2).toString(), 'PK');
    assert.match(xlsx.suggestedFilename(), /^上报表-示例县人民政府门户网站\.xlsx$/);
    // 打印: the 上报表 in a frame of its own, not the form.
    await page.evaluate(() => {
      window.__frames = [];
      new MutationObserver((ms) => {
        for (const m of ms) for (const n of m.addedNodes) if (n.tagName === 'IFRAME') window.__frames.push(n.srcdoc);
      }).observe(document.body, { childList: true });
    });
    await page.locator(`${W} button[data-act="print"]`).click();
    await page.waitForFunction(() => window.__frames.length > 0);
    const printed = await page.evaluate(() => window.__frames[0]);
    assert.ok(printed.includes('合计') && printed.includes('填报单位（盖章）') && !printed.includes('<form'));
    // 清空 asks first: dismissed, nothing is lost; accepted, the form and the draft go.
    answerDialogs = false;
    await page.locator(`${W} button[data-act="clear"]`).click();
    assert.equal(await field('links.other_broken').inputValue(), FAILING['links.other_broken']);
    answerDialogs = true;
    await page.locator(`${W} button[data-act="clear"]`).click();
    assert.equal(await field('links.other_broken').inputValue(), '');
    await page.reload();
    await page.evaluate(() => document.querySelector('pucha-self-check').ready);
    assert.equal(await field('links.other_broken').inputValue(), '');
    assert.equal(await page.locator(`${W} [data-sign="filler"]`).inputValue(), '');
  });

  await check('checklist-2019: the heading, the pass rule and a partial-pack note follow the pack', async () => {
    const p = await context.newPage();
    try {
      await p.goto(`${base}/demo/index.html`);
      await p.evaluate(() => document.querySelector('pucha-self-check').ready);
      await p.evaluate(() => document.querySelector('pucha-self-check').setAttribute('pack', 'checklist-2019'));
      await waitText(p.locator(`${W} [data-out="threshold"]`), /得分低于 60 分为不合格/);
      assert.match(await p.locator(`${W} h2`).innerText(), /政府网站与政务新媒体检查指标/);
      assert.match(await p.locator(`${W} [data-out="partial"]`).innerText(), /部分规则包/);
      assert.doesNotMatch(await p.locator(`${W} .summary`).innerText(), /undefined/);
    } finally {
      await p.close();
    }
  });

  await check("under a portal's CSP (script-src 'self' 'wasm-unsafe-eval') the widget loads, scores and prints", async () => {
    const p = await context.newPage();
    const violations = [];
    p.on('console', (m) => {
      if (/Content Security Policy|Refused/i.test(m.text())) violations.push(m.text());
    });
    try {
      await p.goto(`${base}/demo/index.html?csp`);
      await p.evaluate(() => document.querySelector('pucha-self-check').ready);
      await p.locator(`${W} [name="availability.visits"]`).fill('700');
      await p.locator(`${W} [name="availability.failures"]`).fill('7');
      // 1 % failed visits: 5 of the item's 10 points.
      await waitText(p.locator(`${W} tr[data-rule="homepage-availability"] td.pts`), /^5$/);
      const [d] = await Promise.all([p.waitForEvent('download'), p.locator(`${W} button[data-act="export-html"]`).click()]);
      assert.ok((await readFile(await d.path(), 'utf8')).includes('合计'));
      assert.deepEqual(violations, []);
    } finally {
      await p.close();
    }
  });

  await check('a browser without WebAssembly is told so, in words, instead of a blank form', async () => {
    const p = await context.newPage();
    await p.addInitScript(() => {
      delete window.WebAssembly;
    });
    try {
      await p.goto(`${base}/demo/index.html`);
      const why = await p.evaluate(() => document.querySelector('pucha-self-check').ready.then(() => 'ready', (e) => e.message));
      assert.match(why, /WebAssembly/);
      await waitText(p.locator(`${W} .errors`), /浏览器不支持 WebAssembly/);
    } finally {
      await p.close();
    }
  });

  await check('an import with raw evidence shows its counts read-only; an edit asks, then is recorded as an override', async () => {
    const { score } = await import('../pkg/node.js');
    const obs = JSON.parse(readFileSync(join(REPO, 'examples/observations/raw-evidence.json'), 'utf8'));
    const observed = Object.fromEntries(score(obs).rules.map((r) => [r.id, r.observed || {}]));
    await page.goto(`${base}/demo/index.html`);
    await page.evaluate(() => document.querySelector('pucha-self-check').ready);
    if ((await page.locator(`${W} button[data-act="lang"]`).innerText()) === '中文') {
      await page.locator(`${W} button[data-act="lang"]`).click();
    }
    const file = join(OUT, 'raw-evidence.json');
    await writeFile(file, JSON.stringify(obs));
    await page.locator(`${W} input[type="file"]`).setInputFiles(file);
    await waitText(page.locator(`${W} [data-note="import"]`), /只读/);
    const homepage = String(observed['link-availability'].homepage_broken);
    const other = String(observed['link-availability'].other_broken);
    assert.equal(await field('links.homepage_broken').inputValue(), homepage);
    assert.equal(await field('links.other_broken').inputValue(), other);
    assert.equal(await field('links.other_broken').getAttribute('aria-readonly'), 'true');
    const before = await row('link-availability').locator('td.why').innerText();
    // Dismissed: nothing changes.
    answerDialogs = false;
    await field('links.other_broken').click();
    await page.keyboard.type('9');
    assert.equal(await field('links.other_broken').inputValue(), other);
    assert.match(await page.locator(`${W} [data-note="import"]`).innerText(), /只读/);
    // Accepted: typed counts from now on, the change recorded against the evidence.
    answerDialogs = true;
    await field('links.other_broken').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('40');
    assert.equal(await field('links.other_broken').inputValue(), '40');
    assert.equal(await page.locator(`${W} [data-note="import"]`).innerText(), '');
    const after = await row('link-availability').locator('td.why').innerText();
    assert.ok(after.includes('40') && after !== before, `${before} → ${after}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`${W} button[data-act="export"]`).click()]);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.deepEqual(exported.provenance.overrides, [{ field: 'links.other_broken', evidence: Number(other), typed: 40 }]);
    assert.equal(exported.links.other_broken, 40);
    await page.locator(`${W} button[data-act="clear"]`).click();
  });

  await check('no console errors or page errors', async () => {
    assert.deepEqual(problems, []);
  });
} finally {
  await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}

const failed = results.filter(([, e]) => e).length;
console.log(`${results.length - failed} passed, ${failed} failed (screenshots in target/e2e/)`);
process.exit(failed ? 1 : 0);
