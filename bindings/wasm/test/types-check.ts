// Compiled by `tsc --noEmit --strict` (scripts/test): the published types describe the API as the tests use it.
import {
  init, score, Engine, packs, loadPack, flatToObservation, flatColumns, call, version,
  PuchaError, ObservationError, PackError,
  type Report, type Observation, type RuleResult, type PackInfo, type FlatRecord,
} from '../pkg/index.js';
import {
  initChecker, examine, robotsAllows, guideElements, checkerVersion, CheckerError, type PageReading,
} from '../pkg/checker.js';
import { initRender, renderReport, renderVersion, type Signing } from '../pkg/render.js';
import { PuchaSelfCheck, SECTIONS, observationToRecord, type SelfCheckScoreDetail } from '../pkg/pucha-self-check.js';

async function main(): Promise<void> {
  await init();
  await init({ toml: true });
  await init({ full: true });
  await init(new URL('https://example.invalid/pucha_wasm_bg.wasm'));
  const obs: Observation = { monitoring_point: '2015-06-30', site: { name: 'x', kind: 'portal' }, links: { homepage_broken: 2 } };
  const r: Report = score(obs, { pack: 'census-2015', params: { proration: 'whole-percent' } });
  const verdict: 'pass' | 'fail' = r.verdict;
  const s: number | null = r.score;
  await initRender();
  const signing: Signing = { unit: '示例市人民政府办公厅', date: '2015-07-01' };
  const table: string = renderReport(r, { signing });
  const book: Uint8Array = renderReport(r, { format: 'xlsx', lang: 'en' });
  const renderer: string = renderVersion();
  const rule: RuleResult | undefined = r.rules.find((x) => x.id === 'link-availability');
  const zh: string = rule ? rule.explanation.zh : '';
  const e = new Engine('census-2015', { portal_min_activities: 4 });
  const info: PackInfo = e.info;
  const text: string = e.scoreText(JSON.stringify(obs), 'en');
  const rec: FlatRecord = { monitoring_point: '2015-06-30', 'links.other_broken': 3, 'site.kind': null };
  const { observation, report } = e.scoreFlat(rec);
  e.free();
  const pack = loadPack('[pack]\n');
  score(observation, { pack });
  const ids: string[] = packs().map((p) => p.id);
  const cols: Array<[string, string]> = flatColumns();
  const o2: Observation = flatToObservation(rec);
  const answer = call({ pack: 'census-2015', observation: o2 });
  if (answer.type === 'failure') console.log(answer.errors[0].code);
  try {
    score('{');
  } catch (err) {
    if (err instanceof ObservationError || err instanceof PackError) {
      const code: string = err.code;
      const path: string | null = err.path;
      console.log(code, path, (err as PuchaError).errors.length);
    }
  }
  const el = document.createElement('pucha-self-check');
  const ms: number = await el.ready;
  el.addEventListener('pucha-score', (ev) => {
    const d: SelfCheckScoreDetail = ev.detail;
    console.log(d.report.verdict, d.timing.score);
  });
  el.setObservation(obs);
  const widget: PuchaSelfCheck = el;
  console.log(verdict, s, zh, info.rules.length, text, report.verdict, ids, cols, ms, widget.report?.score, version());
  console.log(table.length, book.length, renderer);
  await initChecker();
  const page: PageReading = examine(new Uint8Array(), { url: 'http://x/', crawl: '2015-06-30', content_type: null });
  const kinds: string[] = page.links.map((l) => l.kind);
  const missing: string[] = page.guide.missing_elements;
  try {
    examine('<p>x</p>', { url: 'http://x/', crawl: '2015-02-30' });
  } catch (err) {
    if (err instanceof CheckerError) console.log(err.code, err.path);
  }
  console.log(kinds, missing, page.column.blank, robotsAllows('', '/'), guideElements()[0][1], checkerVersion());
  console.log(SECTIONS[0].fields[0].label.zh, observationToRecord(obs)['links.homepage_broken']);
}
void main();
