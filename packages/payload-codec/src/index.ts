// Temporal payload encryption: AES-256-GCM payload codec, the platform's keyring, orders' data keys (destroyed at
// deletion: crypto-shredding), and the operators' decoding. See docs/operations.md, "Payload encryption".
export { open, seal, newKey, KEY_BYTES } from './aes.js';
export { PayloadEncryptionCodec, orderOfContext } from './codec.js';
export {
  createPayloadEncryption,
  encryptingDataConverter,
  memoryPayloadEncryption,
  type PayloadEncryption,
  type PayloadEncryptionSettings,
} from './data-converter.js';
export { Keyring, UnknownKeyError, type KeyringConfig, type WrappedKey } from './keyring.js';
export { deletedPayload, ENCODINGS, METADATA, OrderDataDeletedError, orderKeyId } from './markers.js';
export { MemoryOrderKeys } from './memory-order-keys.js';
export { CachedOrderKeys, type OrderKeyStore } from './order-keys.js';
export { decodeForOperators, type DeletedMarker } from './operator-decode.js';
export { failureConverterPath } from './paths.js';
export { PatientOrderKeys, type KeyWait } from './patient-order-keys.js';
export { RedisOrderKeys } from './redis-order-keys.js';
