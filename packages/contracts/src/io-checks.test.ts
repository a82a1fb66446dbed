import { describe, expect, it } from 'vitest';
import { documentRefPlaces, ioCheckPlaces } from './io-checks.js';
import { fullOrder, set } from './test-fixtures.js';
import { validateSigningOrder } from './validate-order.js';

function validated(body = fullOrder()) {
  const result = validateSigningOrder(body);
  if (!result.ok) throw new Error(JSON.stringify(result.violations));
  return result.value;
}

describe('ioCheckPlaces', () => {
  it('lists every documentRef with its property path', () => {
    expect(documentRefPlaces(validated())).toEqual([
      { propertyPath: 'tasks[0].documents[0].documentRef', documentRef: 'Qm9vdHN0cmFwRG9jdW1lbnQx' },
      { propertyPath: 'tasks[1].documents[0].documentRef', documentRef: 'Qm9vdHN0cmFwRG9jdW1lbnQx' },
    ]);
  });

  it('lists configurations, identity methods, third-party methods and URLs', () => {
    const body = set(fullOrder(), 'tasks.1.configuration', 'branded');
    set(body, 'tasks.1.signatureMethods.0.type', 'THIRD_PARTY');
    const places = ioCheckPlaces(validated(body));
    expect(places.configurations).toEqual([
      { propertyPath: 'tasks[0].profile', name: 'default' },
      { propertyPath: 'tasks[1].configuration', name: 'branded' },
      { propertyPath: 'tasks[1].profile', name: 'default' },
    ]);
    expect(places.identityMethods).toContainEqual({
      propertyPath: 'tasks[1].subject.attributes[0].methods[0]',
      name: 'nbid',
    });
    expect(places.identityMethods).toContainEqual({ propertyPath: 'tasks[0].authentication.methods[0]', name: 'nbid' });
    expect(places.thirdPartySignatureMethods).toEqual([{ propertyPath: 'tasks[1].signatureMethods[0].type' }]);
    expect(places.urls).toContainEqual({
      propertyPath: 'packagingTasks[0].notifications[0].recipient',
      url: 'https://example.test/hook',
      kind: 'notification',
    });
    expect(places.urls).toContainEqual({
      propertyPath: 'notificationTemplateParams[0].logoUrl',
      url: 'https://example.test/logo.png',
      kind: 'logo',
    });
    expect(places.urls.filter((u) => u.kind === 'redirect')).toHaveLength(6);
    expect(places.urls.some((u) => u.url === 'merchant@example.test')).toBe(false);
  });
});
