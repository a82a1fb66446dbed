// One-time codes of the SMS / e-mail identity methods: issued by the notification worker, checked by the portal.
export { OneTimeCodeStore, type CodeCheck, type OneTimeCodeRecord } from './store.js';
