// Node entry of the 上报表 module: loaded on import; `initRender()` exists for code shared with browsers and
// resolves at once.
import { readFileSync } from 'node:fs';
import * as glue from './pucha_render.js';
import { markRenderReady } from './render-api.js';

export * from './render-api.js';

glue.initSync({ module: readFileSync(new URL('./pucha_render_bg.wasm', import.meta.url)) });
markRenderReady(glue);

/** Already loaded in Node; kept so code shared with browsers can `await initRender()`. */
export function initRender() {
  return Promise.resolve();
}
