import { table } from '../output.js';
import type { Delivery } from './deliveries.js';
import type { Timeline } from './collect.js';

function deliveryLine(d: Delivery): string {
  const about = [d.taskId && `task ${d.taskId}`, d.packagingTaskId && `packaging ${d.packagingTaskId}`, d.trigger]
    .filter(Boolean)
    .join(', ');
  const outcome = d.outcome ? d.outcome.outcome : d.workflowStatus;
  const last = d.attempts.at(-1);
  const attempts = d.attempts.length
    ? `${d.attempts.length} attempt(s), first ${d.attempts[0]!.at}, last ${last!.at}: ${last!.outcome}${last!.reason ? ` (${last!.reason})` : ''}`
    : 'no attempt yet';
  const redrive = d.redriveOf ? `  redrive of ${d.redriveOf}\n` : '';
  return `- ${d.deliveryId}\n  ${d.channel} notification ${d.notificationId} (${about}): ${outcome}; ${attempts}; ledger ${d.ledger ?? '-'}\n${redrive}  ${d.url}`;
}

/** The timeline as an operator reads it: the order, its workflows with UI links, deliveries, then every entry in time. */
export function renderTimeline(t: Timeline): string {
  const head = [
    `order ${t.orderId}  merchant ${t.merchantId ?? '?'}  client reference ${t.clientReference ?? '-'}  status ${t.orderStatus ?? '?'}  read model ${t.readModel}`,
    '',
    'workflows',
    table(
      ['WORKFLOW', 'TYPE', 'STATUS', 'UI'],
      t.workflows.map((w) => [w.workflowId, w.type, w.status, w.url]),
    ),
    '',
    `notification deliveries (${t.deliveries.length})`,
    ...t.deliveries.map(deliveryLine),
    '',
    'timeline',
  ];
  // Attempts are summarised per delivery above; the chronology lists events and workflow starts and ends.
  const entries = t.entries.filter((e) => e.source !== 'delivery').map((e) => `${e.at}  ${e.subject}  ${e.text}`);
  return [...head, ...entries].join('\n');
}
