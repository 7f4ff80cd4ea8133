// @isola/database/seed: factories for tests and seeds, and the idempotent demo data set.
export {
  createMedia,
  createMembership,
  createStaff,
  createStorageTarget,
  createTenant,
  createUser,
  uniqueSuffix,
  UNUSABLE_PASSWORD_HASH,
  type CreateStorageTargetOptions,
  type Db,
} from './factories.js';
export { seedDemo, type DemoLocalStorage, type DemoSeedResult, type SeedDemoOptions } from './demo.js';
