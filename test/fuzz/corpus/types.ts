// A case of the hostile-input corpus: a request, and the answer the contract asks for.

export interface CorpusRequest {
  method: string;
  /** Sent as is (no normalisation of `..` or escapes), under the gateway's origin. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface CorpusContext {
  /** The API base path, e.g. /enterprise/sign. */
  basePath: string;
  /** A live text upload of the merchant, for orders that are valid but for the one hostile field. */
  documentRef: string;
}

export type CorpusGroup = 'pdf' | 'json' | 'unicode' | 'path' | 'header-injection' | 'ssrf' | 'protocol';

export interface CorpusCase {
  name: string;
  group: CorpusGroup;
  request(ctx: CorpusContext): CorpusRequest;
  /** The answer the contract asks for. */
  status: number;
  /** For a refusal: the problem's `violations` include this property path. */
  violationAt?: string;
  /** For a refusal: the problem's `detail` or that violation's message matches. */
  says?: RegExp;
}

export interface CorpusAnswer {
  status: number;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
