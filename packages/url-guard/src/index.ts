// SSRF guard for outgoing requests to merchant-chosen URLs (URL notifications, contract §5): which addresses a
// callback may reach, checked when the URL is accepted and again when the request connects, so a name that
// resolves to an allowed address at order creation but to the cloud metadata service later (DNS rebinding) is
// still refused.
export {
  checkNotificationUrl,
  checkNotificationUrlSyntax,
  classifyAddress,
  guardedLookup,
  isForbiddenTargetError,
  ForbiddenTargetError,
  ERR_URL_FORBIDDEN_TARGET,
  type AddressClass,
  type LookupFn,
  type UrlPolicy,
} from './guard.js';
