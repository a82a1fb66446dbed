// Where every stored thing lives: Redis keys (after the configured prefix) and S3 keys, from one helper.
export { storageKeys } from './storage-keys.js';
