import { uploadOk } from './documents.js';
import { api, type MerchantName } from './merchants.js';

/** A one-signer order over a fresh upload of `merchant`, in the shape of the README example. */
export async function simpleOrder(merchant: MerchantName, overrides: Record<string, unknown> = {}) {
  const documentRef = await uploadOk(merchant, 'Please sign this agreement.', 'text/plain');
  return {
    documentRef,
    order: {
      clientReference: 'contract-42',
      tasks: [
        {
          id: 'signer1',
          documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' }],
          signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        },
      ],
      ...overrides,
    },
  };
}

export async function createOrder(merchant: MerchantName, order: unknown, headers: Record<string, string> = {}) {
  return api(merchant, '/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(order),
  });
}
