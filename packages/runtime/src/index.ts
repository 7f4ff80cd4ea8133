export * from './clock.js';
export * from './probes.js';
export * from './startup-checks.js';
