import { z } from 'zod';

/**
 * Building blocks for the apps' environment schemas. Each app validates its environment once at
 * start-up (apps/<app>/src/config/env.schema.ts) and refuses to start with a list of what is wrong.
 * Defaults point at the local stack (infra/local/local.env) so a fresh checkout runs unconfigured;
 * in production every connection setting and secret must be given explicitly.
 */

export const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const portFromEnv = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

export const urlWithProtocols = (protocols: readonly string[], hint: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a ${hint} URL (${protocols.map((p) => `${p}//…`).join(' or ')})` },
  );

/** Values that must never reach a log line; listed so error output can mask them. */
export const SECRET_ENV_KEYS = [
  'API_PLATFORM_SECRET_ACCESS_KEY',
  'WORKER_PLATFORM_SECRET_ACCESS_KEY',
  'SESSION_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
] as const;

export class ConfigError extends Error {
  constructor(
    readonly app: string,
    readonly problems: readonly string[],
  ) {
    super(`${app}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Turns zod issues into one line per variable: `NAME: what is wrong (got "value")`, secrets masked. */
export function describeEnvIssues(error: z.ZodError, env: Record<string, string | undefined>): string[] {
  return error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '(root)');
    const raw = env[key];
    const shown =
      raw === undefined
        ? 'not set'
        : (SECRET_ENV_KEYS as readonly string[]).includes(key)
          ? 'got a value (hidden)'
          : `got ${JSON.stringify(raw)}`;
    return `${key}: ${issue.message} (${shown})`;
  });
}

/** Parses `env` with `schema`, throwing a ConfigError that lists every problem at once. */
export function parseEnv<S extends z.ZodType>(app: string, schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(app, describeEnvIssues(result.error, env));
  return result.data;
}
