export * from './build-setup-kit.js';
export * from './bucket-cors.js';
export * from './bucket-lifecycle.js';
export * from './bucket-policy.js';
export * from './iam-policy.js';
export * from './permission-policy.js';
export * from './setup-kit-input.js';
export * from './trust-policy.js';
