// What the documents bucket holds under a prefix, to show what an upload stored or left behind.
import type { stackClients } from './clients.js';

type Clients = Awaited<ReturnType<typeof stackClients>>;

export async function objectKeys(c: Clients, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of c.s3.listObjectsV2(c.config.s3.buckets.documents, prefix, true)) {
    if (item.name) keys.push(item.name);
  }
  return keys.sort();
}

export async function incompleteUploads(c: Clients, prefix: string): Promise<number> {
  const uploads: unknown[] = [];
  for await (const item of c.s3.listIncompleteUploads(c.config.s3.buckets.documents, prefix, true)) uploads.push(item);
  return uploads.length;
}
