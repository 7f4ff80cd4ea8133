import { z } from 'zod';
import {
  parseEnv,
  platformEnvShape,
  portFromEnv,
  principalEnvShape,
  requireInProduction,
  resolvePlatformConfig,
  type PlatformConfig,
} from '@isola/contracts';

/** The API's whole configuration, validated once at start-up (see @isola/contracts platform-env). */
const schema = z
  .object({
    ...platformEnvShape,
    ...principalEnvShape('API'),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: portFromEnv.default(3000),
    WEB_ORIGINS: z
      .string()
      .default('http://localhost:5173,http://127.0.0.1:5173')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
  })
  .superRefine(requireInProduction('API'));

export interface ApiConfig extends PlatformConfig {
  host: string;
  port: number;
  webOrigins: string[];
}

export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const e = parseEnv('Isola API', schema, env);
  return { ...resolvePlatformConfig('API', e), host: e.API_HOST, port: e.API_PORT, webOrigins: e.WEB_ORIGINS };
}

/** DI token: `@Inject(API_CONFIG) config: ApiConfig`. */
export const API_CONFIG = Symbol('API_CONFIG');
