export * from './storage-target.js';
export * from './validate-storage-target.js';
export * from './target-config-hash.js';
export * from './object-keys.js';
export * from './sanitize-filename.js';
export { utf8ByteLength, truncateUtf8 } from './utf8.js';
export * from './storage-error.js';
export * from './classify-aws-error.js';
export * from './backoff.js';
