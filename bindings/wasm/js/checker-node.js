// Node entry of the self-check's page reader: the checker module is loaded on import; `initChecker()` exists for
// code shared with browsers and resolves at once.
import { readFileSync } from 'node:fs';
import * as glue from './pucha_checker.js';
import { markCheckerReady } from './checker-api.js';

export * from './checker-api.js';

glue.initSync({ module: readFileSync(new URL('./pucha_checker_bg.wasm', import.meta.url)) });
markCheckerReady(glue);

/** Already loaded in Node; kept so code shared with browsers can `await initChecker()`. */
export function initChecker() {
  return Promise.resolve();
}
