// Links into the signing portal (contract §5): `taskUrl` and `signCodeUrl`, built the same way everywhere.
export const portalLinks = {
  task: (portalUrl: string, orderId: string, taskId: string) =>
    `${portalUrl}/std/docaction?${new URLSearchParams({ request_id: orderId, task_id: taskId }).toString()}`,
  signCode: (portalUrl: string, signCode: string) =>
    `${portalUrl}/std/docaction?${new URLSearchParams({ sign_code: signCode }).toString()}`,
};
