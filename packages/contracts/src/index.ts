export * from './env.js';
export * from './errors.js';
export * from './health.js';
export * from './jobs.js';
export * from './platform-env.js';
export * from './media.js';
export * from './uploads.js';
export * from './audit.js';
