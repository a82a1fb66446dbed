// Signing a document (contract §7): what the signing portal sends with a SIGNED action, and what the document-storage
// worker needs to seal the document for that signer. Plain data only.

export type SignatureType = 'AUTHENTICATION_BASED' | 'SIGNED_STATEMENT';

/** What is known about the signer when they sign; embedded in the result before sealing, so the signature covers it. */
export interface SigningEvidence {
  signerName: string;
  /** The identity method used, e.g. `nbid-sign`. */
  method: string;
  /** ISO time the signer authenticated. */
  authenticatedAt: string;
  /** Identity claims the method returned (national id, birth date, …). */
  claims: Record<string, string>;
  ip: string;
  userAgent: string;
  /** `handwritten` methods: whether the mark was drawn or is the signer's typed name (the keyboard's way to sign). */
  handwritten?: 'drawn' | 'typed';
  /**
   * The statement the signer consented to, as shown before signing (`signStatement(task).text`: `signText`, then each
   * document's `signTextEntry`); absent when the task has none.
   */
  statement?: string;
}

/** Sent with a SIGNED action by the portal; the task workflow has the document sealed before it records the action. */
export interface SealRequest {
  signatureType: SignatureType;
  evidence: SigningEvidence;
  /** SIGNED_STATEMENT: the identity provider's ID token, whose nonce binds the documents (a compact JWS). */
  signedStatement?: string;
  /**
   * SIGNED_STATEMENT: the proof beside the token (JSON of `StatementProof`, @esign/signed-statement): salt, digests,
   * issuer and the provider's keys at signing time. Absent in statements made before nonce binding.
   */
  statementProof?: string;
  /** `handwritten`: the drawn signature, a PNG in base64 (at most 200 KiB). */
  handwrittenPng?: string;
  /**
   * `form.interactive`: what the signer filled in of the fields the order left empty, by field name; written into the
   * PDF before it is sealed. The order's own `inputParams` cannot be overridden this way.
   */
  formValues?: FormFieldValue[];
}

/** A PDF form field's full name and its value (absent: empty). */
export interface FormFieldValue {
  name: string;
  value?: string;
}

export interface SealDocumentInput extends SealRequest {
  merchantId: string;
  orderId: string;
  taskId: string;
  documentId: string;
  /** ISO workflow time of the signing: the time in the signature. */
  signedAt: string;
}

export interface SealDocumentResult {
  objectKey: string;
  sha256: string;
  size: number;
  /** A PDF form's fields as sealed (the order's and the signer's values): the task's `formOutputParam`. */
  formValues?: FormFieldValue[];
}

/** A signed or uploaded document's result, as the read model keeps it. */
export interface DocumentResultRecord {
  objectKey: string;
  contentType: string;
  sha256: string;
  size: number;
  /** ISO time it was stored. */
  at: string;
  /** Who sealed it and how (sealed results): what a package's signature for this signer carries. */
  signer?: SigningEvidence & { signedAt: string };
  /** A PDF form's fields as sealed: the task's `formOutputParam` from then on. */
  formValues?: FormFieldValue[];
}

/**
 * A one-time code for the SMS / e-mail identity methods (contract §7), sent by the notification worker. The code is
 * made and stored by the activity (Redis, 5 minutes), never passed through workflow history.
 */
export interface OneTimeCodeInput {
  merchantId: string;
  /** Random id of this login attempt; the code is stored under it for the portal to check. */
  challengeId: string;
  channel: 'SMS' | 'EMAIL';
  recipient: string;
  /** The message, translated, with `{code}` where the code goes; `subject` for e-mail. */
  message: string;
  subject: string;
}

/** How long a one-time code is valid, and how many wrong tries it takes. */
export const ONE_TIME_CODE = { ttlSeconds: 300, maxAttempts: 5 } as const;
