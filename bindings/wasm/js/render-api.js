// The 上报表 as a file (`pucha-wasm/render`): pucha-render, the renderer `pucha render` writes with, as its own
// WebAssembly module, `pucha_render_bg.wasm`, which a page fetches only when it prints or exports a table. Shared by
// the browser entry (`render.js`, `await initRender()`) and Node's (`render-node.js`, loaded on import).
import { PuchaError } from './api.js';

export { PuchaError };

let glue = null;

/** Set the loaded module's glue (the entry points call this). */
export function markRenderReady(g) {
  glue = g;
  return g;
}

function loaded() {
  if (!glue) {
    throw new PuchaError({
      code: 'render_not_loaded',
      message: 'the 上报表 module is not loaded: call `await initRender()` first',
    });
  }
  return glue;
}

function text(value, what) {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') {
    throw new PuchaError({ code: 'invalid_type', path: what, message: `${what} must be an object or JSON text` });
  }
  return JSON.stringify(value);
}

/**
 * The 上报表 of a report (a `pucha.report/1` object or JSON text) as a file, from the same renderer as `pucha
 * render`: `format` `'html'` (a self-contained page, print-ready on A4; a string) or `'xlsx'` (the workbook; a
 * Uint8Array), in `lang` (`'zh'` default, or `'en'`), with the hand-in fields of `signing` (`authority`, `unit`,
 * `head`, `reviewer`, `filler`, `phone`, `date`; those left out are lines for the ink). Throws a PuchaError naming
 * what does not read.
 */
export function renderReport(report, options = {}) {
  const { format = 'html', lang = 'zh', signing = {} } = options || {};
  const g = loaded();
  const [r, sign] = [text(report, 'report'), text(signing || {}, 'signing')];
  let bytes;
  try {
    bytes = g.renderReport(r, String(format), String(lang), sign);
  } catch (e) {
    if (typeof e === 'string') {
      let answer = null;
      try {
        answer = JSON.parse(e);
      } catch {
        // Not an answer: reported below.
      }
      if (answer && answer.type === 'failure' && Array.isArray(answer.errors) && answer.errors.length) {
        throw new PuchaError(answer.errors[0], answer.errors);
      }
    }
    throw new PuchaError({ code: 'internal', message: `pucha: 上报表 module failure: ${e && e.message ? e.message : String(e)}` });
  }
  return format === 'html' ? new TextDecoder().decode(bytes) : bytes;
}

/** The 上报表 module's version. */
export function renderVersion() {
  return loaded().version();
}
