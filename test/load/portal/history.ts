// The SIGNED Update's parts, read from the task workflow's history, and what one signing measures.

/** How often the status API is polled for COMPLETED. */
export const POLL_MS = 20;

export type HistoryEvent = {
  eventId?: unknown;
  eventTime?: { seconds?: unknown; nanos?: number | null } | null;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskStartedEventAttributes?: { scheduledEventId?: unknown } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: unknown } | null;
  workflowTaskScheduledEventAttributes?: object | null;
  workflowTaskStartedEventAttributes?: object | null;
  workflowExecutionUpdateAcceptedEventAttributes?: object | null;
  workflowExecutionUpdateCompletedEventAttributes?: { acceptedEventId?: unknown } | null;
};
const msOf = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

/** The SIGNED Update in the task workflow's history: accepted, seal activity, read-model write, completed (epoch ms). */
export function signedUpdate(events: HistoryEvent[]) {
  const activity = (name: string, after = 0) => {
    const scheduled = events.find(
      (e) => Number(e.eventId) > after && e.activityTaskScheduledEventAttributes?.activityType?.name === name,
    );
    if (!scheduled) throw new Error(`no ${name} activity in the task's history`);
    const id = Number(scheduled.eventId);
    const started = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === id);
    const completed = events.find((e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === id);
    if (!started || !completed) throw new Error(`${name} did not complete`);
    return { id: Number(completed.eventId), scheduled: msOf(scheduled), started: msOf(started), done: msOf(completed) };
  };
  const seal = activity('sealDocument');
  const accepted = events.filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes && Number(e.eventId) < seal.id,
  );
  const update = accepted[accepted.length - 1];
  const completed = events.find(
    (e) => Number(e.workflowExecutionUpdateCompletedEventAttributes?.acceptedEventId) === Number(update?.eventId),
  );
  if (!update || !completed) throw new Error('no completed SIGNED update in the task history');
  // The workflow task that accepted it (an update's task is speculative: written with its times once it completes).
  const before = events.filter((e) => Number(e.eventId) < Number(update.eventId));
  const wftScheduled = before.filter((e) => e.workflowTaskScheduledEventAttributes).pop();
  const wftStarted = before.filter((e) => e.workflowTaskStartedEventAttributes).pop();
  if (!wftScheduled || !wftStarted) throw new Error('no workflow task before the SIGNED update');
  return {
    wftScheduled: msOf(wftScheduled),
    wftStarted: msOf(wftStarted),
    accepted: msOf(update),
    seal,
    record: activity('recordTaskStatus', seal.id),
    completed: msOf(completed),
  };
}

// What one signing measures, in ms from the form submit unless said otherwise; labels in the printed order.
export const SIGN_PARTS = {
  status: `Sign click → COMPLETED in the status API (polled every ${POLL_MS} ms)`,
  landed: 'Sign click → browser at onTaskComplete',
  posted: '… click → POST /std/sign sent',
  wftScheduled: "… click → the SIGNED update's workflow task scheduled",
  wftStarted: '… workflow task scheduled → started (orchestrator)',
  accepted: '… workflow task started → update accepted, seal scheduled',
  sealQueue: '… seal activity scheduled → started',
  seal: '… seal activity started → completed (sealDocument)',
  record: '… seal done → read model says COMPLETED (recordTaskStatus)',
  completed: '… click → SIGNED update completed',
  answered: "… click → the portal's 303 received",
} as const;
