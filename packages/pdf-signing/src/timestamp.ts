import { HttpTimestampAuthority, type DigestAlgorithm, type TimestampAuthority } from '@libpdf/core';
import { SealDependencyError } from './errors.js';

/** An RFC 3161 TSA over HTTP whose failures name it (SealDependencyError), so callers can retry and report. */
export function timestampAuthority(url: string): TimestampAuthority {
  const http = new HttpTimestampAuthority(url, { timeout: 30_000 });
  return {
    async timestamp(digest: Uint8Array, algorithm: DigestAlgorithm) {
      try {
        return await http.timestamp(digest, algorithm);
      } catch (err) {
        throw new SealDependencyError('TSA', url, err instanceof Error ? err.message : String(err));
      }
    },
  };
}
