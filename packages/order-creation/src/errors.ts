import type { Violation } from '@esign/contracts';

/** The order is refused as sent: every violation at once (the gateway answers 400). Nothing was created. */
export class CreationRefused extends Error {
  constructor(
    readonly detail: string,
    readonly violations: Violation[] = [],
  ) {
    super(detail);
    this.name = 'CreationRefused';
  }
}

/** The request conflicts with an earlier one (an `Idempotency-Key` reused; the gateway answers 409). */
export class CreationConflict extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'CreationConflict';
  }
}
