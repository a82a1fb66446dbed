// Links into the signing portal (contract §5): `taskUrl` and `signCodeUrl`, built the same way everywhere. Both carry
// the task's sign code, the per-task secret that alone opens the task: `request_id` and `task_id` name the task for
// people and for clients that parse them, but never open it on their own (anyone can guess a merchant's task ids).
export const portalLinks = {
  task: (portalUrl: string, orderId: string, taskId: string, signCode: string) =>
    `${portalUrl}/std/docaction?${new URLSearchParams({ request_id: orderId, task_id: taskId, sign_code: signCode }).toString()}`,
  signCode: (portalUrl: string, signCode: string) =>
    `${portalUrl}/std/docaction?${new URLSearchParams({ sign_code: signCode }).toString()}`,
};
