// One fresh load of the demo page in Debian's headless Chromium, traced: prints the renderer main thread's long
// tasks (layout, script, paint, WebAssembly streaming and lazy compilation) in time order, the widget's marks and
// the page's load events, and keeps the whole trace for chrome://tracing or Perfetto. What docs/performance.md's
// start-up breakdowns come from. Usage: node bench/trace.mjs [trace file, default target/trace.json].
import { chromium } from 'playwright-core';
import { readFile, mkdir } from 'node:fs/promises';
import { resolve, dirname } from 'node:path';
import { ROOT, serveDemo } from './serve.mjs';

const OUT = resolve(process.argv[2] || resolve(ROOT, '..', '..', 'target', 'trace.json'));
const { server, url } = await serveDemo();
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
try {
  const page = await (await browser.newContext()).newPage();
  await mkdir(dirname(OUT), { recursive: true });
  await browser.startTracing(page, {
    path: OUT,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline.stack', 'v8.wasm', 'blink.user_timing', 'loading'],
  });
  await page.goto(url);
  await page.evaluate(() => document.querySelector('pucha-self-check').ready);
  await page.waitForFunction(() => performance.getEntriesByName('pucha:first-paint').length > 0);
  await browser.stopTracing();
} finally {
  await browser.close();
  server.close();
}

const trace = JSON.parse(await readFile(OUT, 'utf8'));
const events = Array.isArray(trace) ? trace : trace.traceEvents;
// Time 0 is the demo page's navigation start, on the renderer's main thread.
const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.endsWith('/demo/index.html'));
if (!nav) throw new Error(`no navigation of the demo page in ${OUT}`);
const main = `${nav.pid}:${nav.tid}`;
const t0 = nav.ts;
const ms = (us) => (us / 1000).toFixed(1).padStart(7);
const lines = [];
for (const e of events) {
  if (`${e.pid}:${e.tid}` !== main || e.ts < t0) continue;
  if (e.ph === 'X' && (e.dur || 0) >= 1500) {
    const stack = e.args?.beginData?.stackTrace;
    const forced = stack ? `  forced by ${stack.slice(0, 3).map((f) => `${f.functionName || '?'}:${f.lineNumber}`).join(' < ')}` : '';
    lines.push([e.ts, `${ms(e.ts - t0)} ${ms(e.dur)}  ${e.name}${forced}`]);
  } else if (e.name?.startsWith('pucha:') || ['MarkDOMContent', 'MarkLoad'].includes(e.name)) {
    lines.push([e.ts, `${ms(e.ts - t0)}          ${e.name}`]);
  }
}
console.log('     at    took  (ms since navigation, main thread tasks of 1.5 ms or more)');
for (const [, l] of lines.sort((a, b) => a[0] - b[0])) console.log(l);
console.log(`trace: ${OUT}`);
