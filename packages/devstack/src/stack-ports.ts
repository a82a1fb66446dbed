import { freePort } from './ports.js';

export interface StackPorts {
  gateway: number;
  portal: number;
  identity: number;
  temporal: number;
  temporalUi?: number;
  s3: number;
  redis: number;
  smtp: number;
  mailUi: number;
  /** The dev Twilio Messages API (in-process; TWILIO_API_URL of the services). */
  smsSink: number;
  orchestratorHealth: number;
  documentStorageHealth: number;
  sealingHealth: number;
  notificationHealth: number;
  archiveHealth: number;
  /** The test PKI (certomancer): OCSP, CRLs, TSA; its URLs are in the certificates. */
  pki: number;
  /** The gateway's and the portal's health, metrics and (gateway) diagnostics. */
  gatewayOperator: number;
  portalOperator: number;
}

/** Free loopback ports for every part of a stack (tests run several stacks side by side). */
export async function freeStackPorts(withTemporalUi = false): Promise<StackPorts> {
  const names = [
    'gateway',
    'portal',
    'identity',
    'temporal',
    's3',
    'redis',
    'smtp',
    'mailUi',
    'smsSink',
    'orchestratorHealth',
    'documentStorageHealth',
    'sealingHealth',
    'notificationHealth',
    'archiveHealth',
    'pki',
    'gatewayOperator',
    'portalOperator',
    ...(withTemporalUi ? ['temporalUi'] : []),
  ] as const;
  const ports: Record<string, number> = {};
  for (const name of names) ports[name] = await freePort();
  return ports as unknown as StackPorts;
}
