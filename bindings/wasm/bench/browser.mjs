// Browser performance of the widget and the engine in Debian's headless Chromium (figures for docs/performance.md):
// the module size; the first score after the page loads, the first result on screen and the end of the page's load
// event (fresh browser profile each time: no code cache); each re-score as one types; the engine call alone.
// Usage: node bench/browser.mjs [page loads, default 10].
import { chromium } from 'playwright-core';
import { readFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, serveDemo } from './serve.mjs';

const LOADS = Number(process.argv[2] || 10);
const { server, url } = await serveDemo();
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const r1 = (x) => Math.round(x * 10) / 10;

const wasm = await readFile(join(ROOT, 'pkg', 'pucha_wasm_bg.wasm'));
const loads = [];
const warm = [];
let rescore = null;
for (let i = 0; i < LOADS; i++) {
  const profile = await mkdtemp(join(tmpdir(), 'pucha-bench-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(url);
  await page.evaluate(() => document.querySelector('pucha-self-check').ready);
  await page.waitForFunction(() => performance.getEntriesByName('pucha:first-paint').length > 0);
  loads.push(
    await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      const m = Object.fromEntries(performance.getEntriesByType('mark').map((x) => [x.name, x.startTime]));
      const w = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
      return {
        afterLoad: m['pucha:first-score'] - n.loadEventEnd,
        sinceNavigation: m['pucha:first-score'],
        paintedSinceNavigation: m['pucha:first-paint'],
        paintedAfterLoad: m['pucha:first-paint'] - n.loadEventEnd,
        load: n.loadEventEnd,
        compile: m['pucha:wasm-ready'] - w.responseEnd,
        engine: m['pucha:engine-ready'] - m['pucha:wasm-ready'],
        firstScore: m['pucha:first-score'] - m['pucha:engine-ready'],
        firstEngineCall: document.querySelector('pucha-self-check').lastTiming.score,
        firstRender: document.querySelector('pucha-self-check').lastTiming.render,
      };
    }),
  );
  // The same browser again (its HTTP and code caches warm, as for a returning visitor).
  await page.reload();
  await page.evaluate(() => document.querySelector('pucha-self-check').ready);
  warm.push(
    await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      const m = Object.fromEntries(performance.getEntriesByType('mark').map((x) => [x.name, x.startTime]));
      return m['pucha:first-score'] - n.loadEventEnd;
    }),
  );
  if (i === LOADS - 1) {
    rescore = await page.evaluate(async () => {
      const el = document.querySelector('pucha-self-check');
      const root = el.shadowRoot;
      const set = (n, v) => { root.querySelector(`[name="${n}"]`).value = v; };
      set('availability.visits', '700'); set('availability.failures', '14'); set('links.homepage_broken', '3');
      set('homepage.updates_in_window', '10'); set('columns.stale.policy', '2'); set('services.missing_element_categories', '3');
      const input = root.querySelector('[name="links.other_broken"]');
      const engine = [], total = [];
      for (let k = 0; k < 500; k++) {
        input.value = String(k % 60);
        const t0 = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        total.push(performance.now() - t0);
        engine.push(el.lastTiming.score);
      }
      const { Engine } = await import('/pkg/index.js');
      const e = new Engine();
      const obs = el.observation;
      for (let k = 0; k < 300; k++) e.score(obs);
      const t0 = performance.now();
      for (let k = 0; k < 3000; k++) e.score(obs);
      const scoreOnly = (performance.now() - t0) / 3000;
      const t1 = performance.now();
      for (let k = 0; k < 20; k++) new Engine().free();
      const build = (performance.now() - t1) / 20;
      return { engine, total, scoreOnly, build };
    });
  }
  await ctx.close();
  await rm(profile, { recursive: true, force: true });
}
server.close();

const pick = (k) => loads.map((l) => l[k]);
const out = {
  wasm_bytes: wasm.length,
  wasm_gzip_bytes: gzipSync(wasm, { level: 9 }).length,
  js_bytes: (await stat(join(ROOT, 'pkg', 'pucha_wasm.js'))).size + (await stat(join(ROOT, 'pkg', 'api.js'))).size +
    (await stat(join(ROOT, 'pkg', 'pucha-self-check.js'))).size,
  page_loads: LOADS,
  first_score_after_load_event_ms: { median: r1(median(pick('afterLoad'))), max: r1(Math.max(...pick('afterLoad'))) },
  first_score_after_load_event_warm_cache_ms: { median: r1(median(warm)), max: r1(Math.max(...warm)) },
  first_score_since_navigation_ms: { median: r1(median(pick('sinceNavigation'))) },
  first_result_painted_since_navigation_ms: { median: r1(median(pick('paintedSinceNavigation'))), max: r1(Math.max(...pick('paintedSinceNavigation'))) },
  first_result_painted_after_load_event_ms: { median: r1(median(pick('paintedAfterLoad'))) },
  load_event_end_ms: { median: r1(median(pick('load'))) },
  of_which_compile_after_fetch_ms: { median: r1(median(pick('compile'))) },
  of_which_engine_build_ms: { median: r1(median(pick('engine'))) },
  of_which_first_score_and_render_ms: { median: r1(median(pick('firstScore'))) },
  of_which_first_engine_call_ms: { median: r1(median(pick('firstEngineCall'))) },
  of_which_first_page_update_ms: { median: r1(median(pick('firstRender'))) },
  rescore_engine_call_ms: { median: r1(median(rescore.engine) * 10) / 10, p95: r1(p95(rescore.engine) * 10) / 10 },
  rescore_with_page_update_ms: { median: r1(median(rescore.total) * 10) / 10, p95: r1(p95(rescore.total) * 10) / 10 },
  score_only_warm_ms: Math.round(rescore.scoreOnly * 1000) / 1000,
  engine_build_warm_ms: r1(rescore.build),
};
console.log(JSON.stringify(out, null, 2));
