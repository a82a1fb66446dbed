import { loadSigningConfigurations, signatureTypesOf, type Config, type SigningConfiguration } from '@esign/config';
import {
  documentRefPlaces,
  ioCheckPlaces,
  validateSigningOrder,
  type SigningOrder,
  type Violation,
} from '@esign/contracts';
import type { DocumentStore } from '@esign/document-store';
import type { ClaimedUpload } from '@esign/temporal-contracts';
import { checkNotificationUrl } from '@esign/url-guard';
import { CreationRefused } from './errors.js';
import { formFieldViolations } from './form-fields.js';

export const MISSING_UPLOAD =
  'names no document uploaded by this merchant (uploads are deleted 30 minutes after upload)';

type Place = { propertyPath: string; url: string };

/**
 * The URL notification targets and e-mail logo URLs of a body the schema may have refused, found defensively
 * (anything not shaped like a notification is skipped), so SSRF refusals are reported with every other violation.
 * A logo is fetched by the signer's mail client, not here; it passes the same guard so no mail points at an internal
 * or metadata address.
 */
function notificationTargets(body: unknown): Place[] {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const field = (v: unknown, key: string): unknown =>
    v && typeof v === 'object' && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  const places: Place[] = [];
  const collect = (notifications: unknown, path: string) =>
    list(notifications).forEach((n, i) => {
      const url = field(n, 'recipient');
      if (field(n, 'type') === 'URL' && typeof url === 'string')
        places.push({ propertyPath: `${path}[${i}].recipient`, url });
    });
  list(field(body, 'tasks')).forEach((t, i) => collect(field(t, 'notifications'), `tasks[${i}].notifications`));
  collect(field(body, 'notifications'), 'notifications');
  list(field(body, 'packagingTasks')).forEach((p, i) =>
    collect(field(p, 'notifications'), `packagingTasks[${i}].notifications`),
  );
  list(field(body, 'notificationTemplateParams')).forEach((p, i) => {
    const url = field(p, 'logoUrl');
    if (typeof url === 'string') places.push({ propertyPath: `notificationTemplateParams[${i}].logoUrl`, url });
  });
  return places;
}

const configurationCache = new Map<string | undefined, Map<string, SigningConfiguration>>();

/** The server's signing-interface configurations (read once per file). */
function configurationsOf(config: Config): Map<string, SigningConfiguration> {
  const file = config.portal.configurationsFile;
  if (!configurationCache.has(file)) configurationCache.set(file, loadSigningConfigurations(file));
  return configurationCache.get(file)!;
}

/**
 * What forwarding leaves without effect, to report back: a `FORWARDED` schedule entry of a task whose signing
 * configuration does not let its signer forward (it never fires); and the `recipient` of an e-mail or SMS
 * notification scheduled only on `FORWARDED` (it goes to the person the task was forwarded to).
 */
export function forwardingWithoutEffect(order: SigningOrder, config: Config): string[] {
  const configurations = configurationsOf(config);
  return order.tasks.flatMap((t, i) => {
    const name = t.configuration ?? t.profile ?? 'default';
    const forwardable = (configurations.get(name) ?? configurations.get('default'))?.allowForward ?? false;
    return (t.notifications ?? []).flatMap((n, j) => {
      const schedule = n.schedule ?? [];
      const onForward = schedule.flatMap((s, k) => (s.triggerStatus === 'FORWARDED' ? [k] : []));
      if (!forwardable) return onForward.map((k) => `tasks[${i}].notifications[${j}].schedule[${k}].triggerStatus`);
      const onlyOnForward = onForward.length > 0 && onForward.length === schedule.length && n.type !== 'URL';
      return onlyOnForward ? [`tasks[${i}].notifications[${j}].recipient`] : [];
    });
  });
}

/**
 * Identity methods the server must know: each named method is configured (the violation names it), and a signature
 * method's provider serves its type (a one-time code makes no SIGNED_STATEMENT, an OIDC provider only the types its
 * entry lists).
 */
function identityMethodViolations(order: SigningOrder, config: Config): Violation[] {
  const { methods } = config.identityProviders;
  const configured = [...methods.keys()].join(', ') || 'none';
  const unknown = ioCheckPlaces(order)
    .identityMethods.filter((p) => !methods.has(p.name))
    .map((p) => ({
      propertyPath: p.propertyPath,
      message: `names the identity method "${p.name}", which is not configured on this server (configured: ${configured})`,
    }));
  const unserved = order.tasks.flatMap((task, t) =>
    task.signatureMethods.flatMap((m, i) => {
      const provider = m.name ? methods.get(m.name) : undefined;
      const type = m.type ?? 'AUTHENTICATION_BASED';
      if (!provider || type === 'THIRD_PARTY' || signatureTypesOf(provider).includes(type)) return [];
      return [
        {
          propertyPath: `tasks[${t}].signatureMethods[${i}].type`,
          message: `the identity method "${m.name}" does not serve ${type} signatures on this server (it serves: ${signatureTypesOf(provider).join(', ')})`,
        },
      ];
    }),
  );
  return [...unknown, ...unserved];
}

/**
 * What the server must know (contract §6-7): `configuration`/`profile` name a signing-interface configuration, every
 * identity method is configured and serves its signature type, and THIRD_PARTY signature methods need a provider
 * (none is configured here).
 */
export function serverSettingViolations(order: SigningOrder, config: Config): Violation[] {
  const known = configurationsOf(config);
  const places = ioCheckPlaces(order);
  return [
    ...places.configurations
      .filter((p) => !known.has(p.name))
      .map((p) => ({
        propertyPath: p.propertyPath,
        message: `names no signing-interface configuration of this server (known: ${[...known.keys()].join(', ')})`,
      })),
    ...identityMethodViolations(order, config),
    ...places.thirdPartySignatureMethods.map((p) => ({
      propertyPath: p.propertyPath,
      message: 'THIRD_PARTY signing needs a third-party signature provider, and none is configured',
    })),
  ];
}

/** The places of the order's `documentRef`s that name one of `missing`, as violations. */
export function missingUploadViolations(order: SigningOrder, missing: Set<string>): Violation[] {
  return documentRefPlaces(order)
    .filter((p) => missing.has(p.documentRef))
    .map((p) => ({ propertyPath: p.propertyPath, message: MISSING_UPLOAD }));
}

/**
 * Every violation at once: the schema's and cross-field rules, each URL notification target checked against the
 * SSRF rules (contract §5), and — once the order is well-formed — each documentRef checked in storage and each
 * `form.inputParams` name checked against the AcroForm fields of its PDF. Answers the
 * order and the uploads it names.
 */
export async function validateCreation(
  deps: { config: Config; store: DocumentStore },
  merchantId: string,
  body: unknown,
): Promise<{ order: SigningOrder; uploads: ClaimedUpload[]; ignoredFields: string[] }> {
  const result = validateSigningOrder(body);
  const schemaViolations = result.ok ? [] : result.violations;
  const flagged = new Set(schemaViolations.map((v) => v.propertyPath));
  const targets = notificationTargets(body).filter((t) => !flagged.has(t.propertyPath));
  const refs = result.ok ? [...new Set(documentRefPlaces(result.value).map((p) => p.documentRef))] : [];
  const [refused, metas] = await Promise.all([
    Promise.all(targets.map((t) => checkNotificationUrl(t.url, deps.config.notifications))),
    Promise.all(refs.map((ref) => deps.store.getMeta(merchantId, ref))),
  ]);
  const missing = new Set(refs.filter((_, i) => !metas[i]));
  const present = new Map(refs.flatMap((ref, i) => (metas[i] ? [[ref, metas[i]] as const] : [])));
  const formViolations = result.ok
    ? await formFieldViolations(result.value, present, (m) => deps.store.readUpload(m))
    : [];
  const violations: Violation[] = [
    ...schemaViolations,
    ...targets.flatMap((t, i) => (refused[i] ? [{ propertyPath: t.propertyPath, message: refused[i] }] : [])),
    ...(result.ok ? missingUploadViolations(result.value, missing) : []),
    ...(result.ok ? serverSettingViolations(result.value, deps.config) : []),
    ...formViolations,
  ];
  if (!result.ok || violations.length) throw new CreationRefused('The signing order is invalid.', violations);
  const uploads = metas.map((m) => {
    const { documentId, contentType, size, sha256, bucket, objectKey } = m!;
    return { merchantId, documentId, contentType, size, sha256, bucket, objectKey };
  });
  const ignoredFields = [...result.ignored, ...forwardingWithoutEffect(result.value, deps.config)];
  return { order: result.value, uploads, ignoredFields };
}
