// Types of `pucha-wasm/checker`, the self-check's page reader.
import { PuchaError } from './index.js';

export { PuchaError };

/** What to read a page as. */
export interface PageRequest {
  /** The page's address (resolves its links). */
  url: string;
  /** The crawl date, `YYYY-MM-DD` (dates such as `[03-29]` take their year from it). */
  crawl: string;
  /** The `Content-Type` the page was served with. */
  content_type?: string | null;
  /** The homepage: links to another host are `external`. Default: the page's own address. */
  home?: string | null;
  /** The text-screening dictionary. Default: the built-in one. */
  terms?: { wrong: string; right: string; certain?: boolean }[] | null;
}

/** A column list page's item. */
export interface ColumnItem {
  title: string;
  url: string | null;
  published: string | null;
}

/** Everything read from one page. */
export interface PageReading {
  decoded: { encoding: string; source: 'bom' | 'header' | 'meta' | 'sniffed' | 'default'; malformed: boolean };
  column: { blank?: true; items: ColumnItem[] };
  refresh_to: string | null;
  messages: { asked: string; answered: string | null; title: string; url: string | null }[];
  activities: { date: string; title: string; url: string | null }[];
  links: { url: string; tag: string; kind: 'page' | 'image' | 'attachment' | 'external' }[];
  guide: { missing_elements: string[]; attachments: string[]; not_offered: string[] };
  findings: { kind: 'serious_typo'; url: string; excerpt: string; expected: string; confirmed: boolean }[];
}

/** A malformed request (`code`: `json_syntax`, `invalid_type`, `unknown_field`, `missing_field`, `invalid_date`, `invalid_value`). */
export class CheckerError extends PuchaError {}

/** Load the checker module (browsers; Node loads it on import). */
export function initChecker(module_or_path?: string | URL | Request | BufferSource): Promise<unknown>;
/** Read one page as `pucha probe` reads it. */
export function examine(body: Uint8Array | ArrayBuffer | string, request: PageRequest): PageReading;
/** Whether robots.txt text lets `agent` (default `pucha`) fetch `path`. */
export function robotsAllows(robots: string, path: string, agent?: string): boolean;
/** The 8 element categories of a service guide as `[key, heading]` pairs. */
export function guideElements(): [string, string][];
/** The checker module's version. */
export function checkerVersion(): string;
