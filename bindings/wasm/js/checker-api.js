// The self-check's page reader (`pucha-wasm/checker`): the probes' extraction code (pucha-extract) as its own
// WebAssembly module, `pucha_checker_bg.wasm`, which a page fetches only when a check starts. Shared by the browser
// entry (`checker.js`, `await initChecker()`) and Node's (`checker-node.js`, loaded on import).
import { PuchaError } from './api.js';

export { PuchaError };

let glue = null;

/** A request to read a page is malformed (unknown field, missing `url` or `crawl`, impossible date, …). */
export class CheckerError extends PuchaError {
  constructor(error, errors) {
    super(error, errors);
    this.name = 'CheckerError';
  }
}

/** Set the loaded module's glue (the entry points call this). */
export function markCheckerReady(g) {
  glue = g;
  return g;
}

function loaded() {
  if (!glue) {
    throw new PuchaError({
      code: 'checker_not_loaded',
      message: 'the checker module is not loaded: call `await initChecker()` first',
    });
  }
  return glue;
}

function bytes(body) {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof body === 'string') return new TextEncoder().encode(body);
  throw new TypeError('body must be a Uint8Array, an ArrayBuffer or a string');
}

/**
 * Read one page as `pucha probe` reads it: `body` as served (bytes; a string is taken as UTF-8) and
 * `request` = `{ url, crawl, content_type?, home?, terms? }`. Returns the reading (decoded charset, column items
 * and dates, consultation messages, activities, links with their kinds, guide elements and named forms, wrong
 * terms); throws a CheckerError naming the field for a bad request.
 */
export function examine(body, request) {
  if (request === null || typeof request !== 'object') {
    throw new CheckerError({ code: 'invalid_type', message: 'the request must be an object' });
  }
  const answer = JSON.parse(loaded().examine(bytes(body), JSON.stringify(request)));
  if (answer.type === 'success') return answer.reading;
  throw new CheckerError(answer.errors[0], answer.errors);
}

/** Whether robots.txt text `robots` lets `agent` (default `pucha`) fetch `path`. */
export function robotsAllows(robots, path, agent = 'pucha') {
  return loaded().robotsAllows(String(robots), String(agent), String(path));
}

/** The 8 element categories of a service guide: `[key, heading]` pairs (`['basis', '设定依据']`, …). */
export function guideElements() {
  return JSON.parse(loaded().guideElements());
}

/** The checker module's version. */
export function checkerVersion() {
  return loaded().version();
}
