export * from './credential-scope.js';
export * from './build-session-policy.js';
export * from './role-session-name.js';
export * from './session-duration.js';
export * from './link-lifetime.js';
