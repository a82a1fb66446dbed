/**
 * The benchmark's uploads and one-signer orders (a test-eID signature over one document), through the gateway with
 * the bench merchant's token.
 */
export function portalOrders(api: string, auth: Record<string, string>) {
  const uploadDoc = async (body: Buffer | string, contentType: string) => {
    const res = await fetch(`${api}/documents`, {
      method: 'POST',
      headers: { ...auth, 'content-type': contentType },
      body,
    });
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { documentId: string }).documentId;
  };
  const createOrder = async (documentRef: string, extra: Record<string, unknown> = {}) => {
    const res = await fetch(`${api}/orders`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        clientReference: 'bench',
        tasks: [
          {
            id: 'signer1',
            documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' }],
            signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
            ...extra,
          },
        ],
      }),
    });
    if (res.status !== 201) throw new Error(`order creation answered ${res.status}: ${await res.text()}`);
    const order = (await res.json()) as { id: string; tasks: Array<{ signingUrl: string }> };
    return { id: order.id, signingUrl: order.tasks[0]!.signingUrl };
  };
  return { uploadDoc, createOrder };
}
