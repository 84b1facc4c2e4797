// The parts the HTML audit page gains with --action (audit --action ACTION): the question in the
// summary, a Decision column, and "(policy change)" on events a permission set's policy change made.
// Without --action none of them is on the page, so the plain page stays as it was.

import type { AuditReport } from './types';
import { decisionOf, decisionWords } from './decision';

/** The events as the page's data holds them: with --action, each with its decision in words. */
export function pageEvents(r: AuditReport): readonly object[] {
  if (!r.question) return r.events;
  return r.events.map((e) => {
    const d = decisionOf(e);
    return d ? { ...e, decisionWords: decisionWords(d) } : e;
  });
}

/** The Decision header cell, after Via. */
export const DECISION_HEADER = '<th>Decision</th>';

/** After the summary is written: the question before it. */
export const SCRIPT_QUESTION = `  $('summary').textContent = 'Who became able, or stopped being able, to perform ' + data.question.action + ' on ' + ` +
  `data.question.resource + ': ' + $('summary').textContent;
`;

/** In renderEvents, after the action cell: what made the event, when it was a policy change. */
export const SCRIPT_CAUSE = `      if (e.cause === 'policy') action.appendChild(document.createTextNode(' (policy change)'));
`;

/** In renderEvents, after the Via cell: the decision. */
export const SCRIPT_DECISION = `      tr.appendChild(el('td', e.decisionWords || '', 'decision'));
`;
