import fc from 'fast-check';
import { buildSessionPolicy, CREDENTIAL_PURPOSES, MAX_SESSION_POLICY_LENGTH, type CredentialScope } from '@isola/credentials';
import {
  isKeyInMediaSourcePrefix,
  isSafeObjectKey,
  isValidStoragePrefix,
  MAX_FILENAME_BYTES,
  MAX_OBJECT_KEY_BYTES,
  parseRoleArn,
  sanitizeFilename,
  sourceKey,
  utf8ByteLength,
  validateEndpoint,
  validateRoleArn,
  validateStorageTarget,
  type StorageTargetInput,
} from '@isola/tenant-storage';
import { ApiException } from '../../src/common/api.exception.js';
import { parseDeclaredSize, parsePartNumber } from '../../src/modules/uploads/upload-rules.js';
import {
  bucketArb,
  declaredSizeArb,
  endpointArb,
  filenameArb,
  hostileString,
  internalHostArb,
  partNumberArb,
  prefixArb,
  regionArb,
  roleArnArb,
} from './helpers/arbitraries.js';

/**
 * Issue 8, security: property-based tests of the pure input validators, with many runs (they cost
 * microseconds). Each property states what a validator guarantees for ANY input — it never throws
 * anything but its own 400, and whatever it accepts is safe for the code that consumes it next (the
 * object-key rules and the session-policy builder).
 */

const RUNS = 1_000;
const run = <T extends unknown[]>(property: fc.IProperty<T>) => fc.assert(property, { numRuns: RUNS });

const INVISIBLE_OR_CONTROL =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MEDIA_ID = '0b9d6c2e-5f1a-4c3e-9a77-2f1e0c4d8b6a';

/** A 400 with a code and a message: what a validator may throw. */
function isClientError(error: unknown, code: string): boolean {
  return error instanceof ApiException && error.getStatus() === 400 && error.code === code && error.message.length > 0;
}

describe('sanitizeFilename and sourceKey: any name becomes one safe key segment', () => {
  it('returns a non-empty, NFC, well-formed name of ≤ 255 UTF-8 bytes with no separator, control, bidi or dot run', () => {
    run(
      fc.property(filenameArb, (name) => {
        const safe = sanitizeFilename(name);
        expect(safe.length).toBeGreaterThan(0);
        expect(utf8ByteLength(safe)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
        expect(safe).toBe(safe.normalize('NFC'));
        expect(safe).not.toMatch(LONE_SURROGATE);
        expect(safe).not.toMatch(INVISIBLE_OR_CONTROL);
        expect(safe).not.toMatch(/[/\\]|\.\./);
        expect(safe).not.toMatch(/^[\s.]|[\s.]$/u);
        expect(sanitizeFilename(safe)).toBe(safe); // idempotent
      }),
    );
  });

  it('builds a safe key inside the media’s source folder for any name and valid prefix, whose upload policy fits AWS’s limit', () => {
    const validPrefix = prefixArb.filter((p) => isValidStoragePrefix(p));
    run(
      fc.property(validPrefix, filenameArb, (prefix, name) => {
        const key = sourceKey(prefix, MEDIA_ID, name);
        expect(isSafeObjectKey(key)).toBe(true);
        expect(isKeyInMediaSourcePrefix(key, prefix, MEDIA_ID)).toBe(true);
        expect(utf8ByteLength(key)).toBeLessThanOrEqual(MAX_OBJECT_KEY_BYTES);
        const target = { bucket: 'a'.repeat(63), prefix, roleArn: 'arn:aws-us-gov:iam::123456789012:role/r' };
        for (const scope of [
          { purpose: 'upload', mediaId: MEDIA_ID, sourceKey: key },
          { purpose: 'transcode', mediaId: MEDIA_ID, sourceKey: key, grantExpiresAt: new Date('2030-01-01T00:00:00Z') },
        ] satisfies CredentialScope[]) {
          const policy = buildSessionPolicy(target, scope);
          expect(policy.json.length).toBeLessThanOrEqual(MAX_SESSION_POLICY_LENGTH);
          // the policy names this key (or its folder) and no wildcard a filename brought in
          expect(policy.json.replace(/\/source\/\*"/g, '').replace(/\/renditions\/\*"/g, '')).not.toMatch(/[*?]|\$\{/);
        }
      }),
    );
  });
});

describe('upload rules: declared sizes and part numbers', () => {
  it('parses any declared size to a whole number ≥ 1, or refuses it with 400 INVALID_SIZE — nothing else', () => {
    run(
      fc.property(declaredSizeArb, (value) => {
        let size: bigint;
        try {
          size = parseDeclaredSize(value);
        } catch (error) {
          expect(isClientError(error, 'INVALID_SIZE')).toBe(true);
          return;
        }
        expect(size).toBeGreaterThanOrEqual(1n);
        if (typeof value === 'number') expect(size).toBe(BigInt(value));
        else expect(typeof value === 'string' && /^\s*[0-9]{1,20}\s*$/.test(value)).toBe(true);
      }),
    );
  });

  it('accepts exactly the integers 1…10,000 as part numbers (digits only, no signs, exponents or other scripts)', () => {
    run(
      fc.property(partNumberArb, (value) => {
        let n: number;
        try {
          n = parsePartNumber(value);
        } catch (error) {
          expect(isClientError(error, 'INVALID_PART_NUMBER')).toBe(true);
          const numeric = typeof value === 'number' ? value : /^[0-9]{1,6}$/.test(value) ? Number(value) : NaN;
          expect(Number.isInteger(numeric) && numeric >= 1 && numeric <= 10_000).toBe(false);
          return;
        }
        expect(Number.isInteger(n) && n >= 1 && n <= 10_000).toBe(true);
        expect(typeof value === 'number' ? value : /^[0-9]+$/.test(value) && Number(value)).toBe(n);
      }),
    );
  });
});

describe('storage targets: ARNs, bucket names, regions, prefixes, endpoints', () => {
  const inputArb: fc.Arbitrary<StorageTargetInput> = fc.record({
    mode: fc.oneof(fc.constantFrom('hosted', 'isolated'), hostileString(10)) as fc.Arbitrary<StorageTargetInput['mode']>,
    provider: fc.oneof(fc.constantFrom('aws', 's3_compatible'), hostileString(10)) as fc.Arbitrary<StorageTargetInput['provider']>,
    endpoint: fc.option(endpointArb),
    region: regionArb,
    bucket: bucketArb,
    prefix: fc.option(prefixArb),
    roleArn: roleArnArb,
    externalId: fc.oneof(fc.uuid(), hostileString(20)),
  });

  it('never throws; every refusal names a field, an UPPER_SNAKE code and a message', () => {
    run(
      fc.property(inputArb, fc.boolean(), (input, allowLocalEndpoints) => {
        const result = validateStorageTarget(input, { allowLocalEndpoints });
        if (result.ok) return;
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) {
          expect(Object.keys(input)).toContain(issue.field);
          expect(issue.code).toMatch(/^[A-Z][A-Z_]+$/);
          expect(issue.message.length).toBeGreaterThan(10);
        }
      }),
    );
  });

  /** Targets as a correct setup form sends them (mostly accepted), one field now and then swapped for a hostile one. */
  const nearValidArb: fc.Arbitrary<StorageTargetInput> = fc
    .record({
      mode: fc.constantFrom('hosted', 'isolated') as fc.Arbitrary<StorageTargetInput['mode']>,
      aws: fc.boolean(),
      region: fc.constantFrom('us-east-1', 'eu-west-3', 'us-gov-west-1', 'cn-north-1'),
      account: fc.stringMatching(/^\d{12}$/),
      path: fc.oneof(
        fc.constant('/'),
        fc.stringMatching(/^\/([!-~]{1,30}\/){1,3}$/).filter((p) => !p.includes('//')),
      ),
      name: fc.stringMatching(/^[\w+=,.@-]{1,64}$/),
      bucket: fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/),
      prefix: fc
        .array(fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,40}$/), { minLength: 1, maxLength: 8 })
        .map((s) => s.join('/').slice(0, 256).replace(/\/+$/, '')),
      externalId: fc.uuid(),
      swap: fc.option(fc.constantFrom('bucket', 'prefix', 'roleArn', 'region', 'endpoint'), { freq: 3 }),
      hostile: fc.oneof(bucketArb, prefixArb, roleArnArb, regionArb, endpointArb),
    })
    .map(({ mode, aws, region, account, path, name, bucket, prefix, externalId, swap, hostile }) => {
      const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
      const input: StorageTargetInput = {
        mode,
        provider: aws ? 'aws' : 's3_compatible',
        endpoint: aws ? null : 'https://s3.example.com',
        region: aws ? region : 'default',
        bucket,
        prefix,
        roleArn: aws ? `arn:${partition}:iam::${account}:role${path}${name}` : `arn:aws:iam:::role/${name}`,
        externalId,
      };
      return swap === null ? input : { ...input, [swap]: hostile };
    });

  it('accepts only what the session-policy builder takes: every purpose’s policy builds and fits 2,048 characters', () => {
    const accepted = fc.oneof(nearValidArb, inputArb).map((input) => validateStorageTarget(input, { allowLocalEndpoints: true }));
    let acceptedCount = 0;
    fc.assert(
      fc.property(accepted, (result) => {
        if (!result.ok) return;
        acceptedCount += 1;
        const target = result.value;
        expect(target.bucket).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
        expect(isValidStoragePrefix(target.prefix)).toBe(true);
        expect(parseRoleArn(target.roleArn)).toBeDefined();
        for (const purpose of CREDENTIAL_PURPOSES) {
          const scope = scopeFor(purpose, target.prefix);
          expect(buildSessionPolicy(target, scope).json.length).toBeLessThanOrEqual(MAX_SESSION_POLICY_LENGTH);
        }
      }),
      { numRuns: RUNS },
    );
    // the generators reach the accepting branch too (otherwise this property proves nothing)
    expect(acceptedCount).toBeGreaterThan(RUNS / 10);
  });

  it('role ARNs: what the validator accepts, the parser the policy builder uses reads the same way', () => {
    run(
      fc.property(roleArnArb, fc.constantFrom('aws', 's3_compatible') as fc.Arbitrary<'aws' | 's3_compatible'>, (arn, provider) => {
        const issues = validateRoleArn(arn.trim(), provider);
        const parsed = parseRoleArn(arn.trim());
        if (issues.length === 0) {
          expect(parsed).toBeDefined();
          expect(arn.trim().endsWith(`:role${parsed!.path}${parsed!.roleName}`)).toBe(true);
        }
      }),
    );
  });

  it('never lets a tenant point Isola at loopback, private or link-local addresses, whatever the notation', () => {
    run(
      fc.property(
        internalHostArb,
        fc.constantFrom('https', 'http'),
        fc.constantFrom('', ':443', ':7480'),
        ({ host, linkLocal }, scheme, port) => {
          const endpoint = `${scheme}://${host}${port}`;
          const strict = validateEndpoint(endpoint, 's3_compatible');
          expect(strict.issues.map((i) => i.code)).toContain('ENDPOINT_PRIVATE_HOST');
          expect(strict.origin).toBeUndefined();
          // development mode lets the local RGW in, but cloud metadata (link-local) stays out
          const local = validateEndpoint(endpoint, 's3_compatible', { allowLocalEndpoints: true });
          expect(local.issues.some((i) => i.code === 'ENDPOINT_PRIVATE_HOST')).toBe(linkLocal);
        },
      ),
    );
  });

  it('reduces any accepted endpoint to a bare http(s) origin without credentials', () => {
    run(
      fc.property(endpointArb, fc.constantFrom('aws', 's3_compatible') as fc.Arbitrary<'aws' | 's3_compatible'>, (endpoint, provider) => {
        const { issues, origin } = validateEndpoint(endpoint.trim(), provider);
        if (issues.length > 0 || origin === undefined) return;
        const url = new URL(origin);
        expect(url.protocol).toBe('https:');
        expect(url.origin).toBe(origin);
        expect(`${url.username}${url.password}${url.search}${url.hash}`).toBe('');
      }),
    );
  });
});

function scopeFor(purpose: (typeof CREDENTIAL_PURPOSES)[number], prefix: string): CredentialScope {
  const key = sourceKey(prefix, MEDIA_ID, 'clip.mp4');
  switch (purpose) {
    case 'upload':
      return { purpose, mediaId: MEDIA_ID, sourceKey: key };
    case 'transcode':
      return { purpose, mediaId: MEDIA_ID, sourceKey: key, grantExpiresAt: new Date('2030-01-01T00:00:00Z') };
    case 'migrate':
      return { purpose, side: 'write', mediaId: MEDIA_ID };
    case 'delete':
      return { purpose, mediaId: MEDIA_ID };
    case 'link':
    case 'verify':
      return { purpose };
  }
}
