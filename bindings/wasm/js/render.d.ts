// Types of `pucha-wasm/render`: the 上报表 as a file, from the renderer `pucha render` writes with.
import type { Report } from './index.js';

/** The hand-in fields of a 上报表; those left out are lines for the ink. */
export interface Signing {
  authority?: string;
  unit?: string;
  head?: string;
  reviewer?: string;
  filler?: string;
  phone?: string;
  date?: string;
}

/** Load the 上报表 module (`pucha_render_bg.wasm`) once; Node has it loaded on import. */
export function initRender(module_or_path?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<unknown>;

/** The 上报表 of a report as an HTML page (a string), as `pucha render` writes it. */
export function renderReport(report: Report | string, options?: { format?: 'html'; lang?: 'zh' | 'en'; signing?: Signing }): string;
/** The 上报表 of a report as an XLSX workbook, as `pucha render --format xlsx` writes it. */
export function renderReport(report: Report | string, options: { format: 'xlsx'; lang?: 'zh' | 'en'; signing?: Signing }): Uint8Array;

/** The 上报表 module's version. */
export function renderVersion(): string;
