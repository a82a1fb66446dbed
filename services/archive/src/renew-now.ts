// Operator command: renew an archived document's timestamp now.
//   pnpm --filter @esign/archive renew-now <merchantId> <archiveId>
// Same as `temporal workflow signal --workflow-id archive-renewal-<archiveId> --name renewArchiveNow`, but also
// starts the renewal of a document archived before renewals existed.
import { loadConfig } from '@esign/config';
import { connectTemporalClient, createRedis } from '@esign/service-runtime';
import { ARCHIVE_RENEWAL_MESSAGES, ids } from '@esign/temporal-contracts';
import { renewNow } from './renewal-workflow.js';

const [merchantId, archiveId] = process.argv.slice(2);
if (!merchantId || !archiveId || !ids.isSafe(merchantId) || !ids.isSafe(archiveId)) {
  process.stderr.write('usage: renew-now <merchantId> <archiveId>\n');
  process.exit(2);
}
const config = loadConfig();
// Redis holds orders' payload data keys; an archive renewal has none, but the client reads them where it must.
const redis = createRedis(config, () => undefined);
const client = await connectTemporalClient(config, redis);
try {
  const workflowId = await renewNow(client, { merchantId, archiveId }, config.signing.archiveRenewalMarginDays);
  process.stdout.write(
    `${ARCHIVE_RENEWAL_MESSAGES.RENEW_NOW} sent to ${workflowId}: the archive adds a new document timestamp now\n`,
  );
} finally {
  await client.connection.close();
  redis.disconnect();
}
