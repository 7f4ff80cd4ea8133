export { loadLocalEnv, parseEnvFile, LOCAL_ENV_FILE } from './local-env.js';
export type { LoadLocalEnvOptions, LocalCredentials, LocalStackEnv } from './local-env.js';
export {
  DEFAULT_POLICY_NAME,
  LOOPBACK_HOST,
  LocalStackAdmin,
  bucketRolePolicy,
  guardLoopback,
  httpStatusOf,
  rgwClientConfig,
  roleArn,
  studioBucketPolicy,
  trustPolicy,
  userArn,
  waitForRgw,
} from './rgw-admin.js';
export type { ClientCredentials, EnsureRoleInput, PlatformPrincipal, PolicyDocument, PolicyStatement } from './rgw-admin.js';
export { createTestStudio, provisionDemo, testBucketName } from './studios.js';
export type { DemoProvisioning, ProvisionedStorage, TestStudio, TestStudioOptions } from './studios.js';
export { LOCAL_ADMIN_STATEMENT_SID, localStudioKit, withLocalAdmin } from './studio-kit.js';
export type { CorsConfigurationDocument, LifecycleConfigurationDocument, LocalStudioKitInput, StudioKitDocuments } from './studio-kit.js';
export { numberOption, reportFault } from './fault-report.js';
