// Types of the <pucha-self-check> custom element (registered on import).
import type { Observation, Report, Text, FlatRecord } from './index.js';

/** A form field: a documented flat column with its label. */
export interface SelfCheckField {
  name: string;
  type: 'text' | 'date' | 'count' | 'flag' | 'choice';
  label: Text;
  input?: string;
  choices?: Array<[string, Text]>;
}

/** The form's sections, in the order of the 评分表. */
export const SECTIONS: Array<{ id: string; title: Text; fields: SelfCheckField[] }>;

/** The flat record an observation's counted fields stand for (what the form can show of it). */
export function observationToRecord(observation: Observation): FlatRecord;

/** The form's record of the counts a report observed (those derived from an imported observation's raw evidence). */
export function evidenceRecord(report: Report): FlatRecord;

/** Detail of the `pucha-score` event, fired after every scoring. */
export interface SelfCheckScoreDetail {
  report: Report;
  observation: Observation;
  timing: { score: number; render: number };
}

/** `<pucha-self-check pack="census-2015" lang="zh|en">`. */
export class PuchaSelfCheck extends HTMLElement {
  /** `zh` (default) or `en`. */
  lang: string;
  /** Resolves with the milliseconds from connection to the first rendered score; rejects when the engine cannot be
   * loaded (the widget shows why). */
  readonly ready: Promise<number>;
  /** Milliseconds from connection to the first rendered score. */
  readonly firstScoreMs?: number;
  /** `performance.now()` when the first score was on the page (milliseconds since navigation start). */
  readonly firstScoreAt?: number;
  /** Milliseconds of the last scoring: the engine call and updating the page. */
  readonly lastTiming: { score: number; render: number } | null;
  /** The last report. */
  readonly report: Report | null;
  /** The observation behind the last report. */
  readonly observation: Observation | null;
  /** Load an observation (object or JSON text) as if imported from a file. */
  setObservation(observation: Observation | string): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'pucha-self-check': PuchaSelfCheck;
  }
  interface HTMLElementEventMap {
    'pucha-score': CustomEvent<SelfCheckScoreDetail>;
  }
}
