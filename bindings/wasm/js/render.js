// Browser entry of the 上报表 module: `await initRender()` fetches `pucha_render_bg.wasm` (next to this file, or
// `module_or_path`) once; then `renderReport` works.
import { markRenderReady } from './render-api.js';

export * from './render-api.js';

let loading = null;

/** Load the 上报表 module (once; later calls return the same promise). */
export function initRender(module_or_path) {
  if (!loading) {
    loading = import('./pucha_render.js').then((g) =>
      g.default(module_or_path === undefined ? undefined : { module_or_path }).then(() => markRenderReady(g)),
    );
  }
  return loading;
}
