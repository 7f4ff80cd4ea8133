import { ConfigError } from '@isola/contracts';
import { loadApiConfig } from './env.schema.js';

describe('loadApiConfig', () => {
  it('points at the local stack when nothing is configured', () => {
    const config = loadApiConfig({});
    expect(config).toMatchObject({
      env: 'development',
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/isola',
      redisUrl: 'redis://127.0.0.1:6379/0',
      webOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      storage: { s3Endpoint: 'http://127.0.0.1:7480', stsEndpoint: 'http://127.0.0.1:7480', region: 'us-east-1', forcePathStyle: true },
    });
    expect(config.platformPrincipal.arn).toBe('arn:aws:iam:::user/isola-api');
  });

  it('uses the provider endpoints in production and requires every connection and secret', () => {
    expect(() => loadApiConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    const config = loadApiConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://isola@db:5432/isola',
      REDIS_URL: 'redis://cache:6379/0',
      API_PLATFORM_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE01',
      API_PLATFORM_SECRET_ACCESS_KEY: 'secretsecretsecretsecretsecret',
      API_PLATFORM_PRINCIPAL_ARN: 'arn:aws:iam::123456789012:user/isola-api',
      S3_REGION: 'eu-west-3',
      S3_FORCE_PATH_STYLE: 'false',
    });
    expect(config.storage).toEqual({ s3Endpoint: undefined, stsEndpoint: undefined, region: 'eu-west-3', forcePathStyle: false });
  });

  it('reads the hosted storage, the price table and the first revocation re-check delay', () => {
    expect(loadApiConfig({}).hostedStorage).toBeNull();
    const config = loadApiConfig({
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      HOSTED_BUCKET: 'platform-media',
      HOSTED_ROLE_ARN: 'arn:aws:iam:::role/platform-hosted',
      REVOCATION_FIRST_RECHECK_MS: '5000',
      USAGE_PRICE_TABLE: '{"egressPerGib": 0.05}',
    });
    expect(config.hostedStorage).toEqual({
      provider: 's3_compatible',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      bucket: 'platform-media',
      roleArn: 'arn:aws:iam:::role/platform-hosted',
      prefixRoot: 'tenants',
    });
    expect(config.revocation.firstRecheckMs).toBe(5000);
    expect(config.prices).toMatchObject({ egressPerGib: 0.05, getPer1000: 0.0004 });
    expect(() => loadApiConfig({ USAGE_PRICE_TABLE: 'not json' })).toThrow(/USAGE_PRICE_TABLE/);
    expect(() => loadApiConfig({ USAGE_PRICE_TABLE: '{"egressPerGib": -1}' })).toThrow(ConfigError);
  });

  it('keeps a separate STS endpoint when one is given', () => {
    const config = loadApiConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000', STS_ENDPOINT: 'http://127.0.0.1:9001' });
    expect(config.storage.s3Endpoint).toBe('http://127.0.0.1:9000');
    expect(config.storage.stsEndpoint).toBe('http://127.0.0.1:9001');
  });

  it('rejects a bad region by name', () => {
    expect(() => loadApiConfig({ S3_REGION: 'Europe' })).toThrow('S3_REGION: must be an AWS region such as us-east-1');
  });
});
