/** One task queue per worker service; the orchestrator hosts workflows only, the others activities only. */
export const TASK_QUEUES = {
  ORCHESTRATOR: 'orchestrator',
  DOCUMENT_STORAGE: 'document-storage',
  NOTIFICATION: 'notification',
  ARCHIVE: 'archive',
  SEALING: 'sealing',
} as const;

export type TaskQueue = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];
