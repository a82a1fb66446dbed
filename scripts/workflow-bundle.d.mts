export const workflowsPath: string;
export function buildWorkflowBundle(): Promise<string>;
