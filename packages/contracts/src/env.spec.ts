import { z } from 'zod';
import { ConfigError, parseEnv, portFromEnv, urlWithProtocols } from './env.js';

const schema = z.object({
  API_PORT: portFromEnv.default(3000),
  DATABASE_URL: urlWithProtocols(['postgresql:', 'postgres:'], 'PostgreSQL'),
  S3_ENDPOINT: urlWithProtocols(['http:', 'https:'], 'HTTP(S)').optional(),
});

describe('parseEnv', () => {
  it('returns typed values with defaults', () => {
    expect(parseEnv('api', schema, { DATABASE_URL: 'postgresql://u@h:5432/db' })).toEqual({
      API_PORT: 3000,
      DATABASE_URL: 'postgresql://u@h:5432/db',
    });
  });

  it('lists every problem at once, naming the variable and masking secrets', () => {
    let error: unknown;
    try {
      parseEnv('api', schema, { API_PORT: 'abc', DATABASE_URL: 'mysql://x', S3_ENDPOINT: 'nope' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('API_PORT: must be a port number (got "abc")');
    expect(problems[1]).toBe('DATABASE_URL: must be a PostgreSQL URL (postgresql://… or postgres://…) (got a value (hidden))');
    expect(problems[2]).toMatch(/^S3_ENDPOINT: must be a HTTP\(S\) URL/);
  });

  it('says when a required variable is missing', () => {
    expect(() => parseEnv('api', schema, {})).toThrow(/DATABASE_URL: .*\(not set\)/);
  });
});
