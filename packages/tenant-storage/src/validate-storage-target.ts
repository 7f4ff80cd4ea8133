import { MAX_PREFIX_LENGTH } from './object-keys.js';
import {
  AWS_PARTITIONS,
  partitionOfRegion,
  parseRoleArn,
  type StorageMode,
  type StorageProvider,
  type StorageTargetConfig,
} from './storage-target.js';

/**
 * Validation of a storage target as a tenant admin configures it. Every issue names the field, a
 * stable UPPER_SNAKE code, and a message that says what is wrong and how to fix it.
 */

export type StorageTargetField = keyof StorageTargetConfig;

export type StorageTargetIssueCode =
  | 'REQUIRED'
  | 'INVALID_VALUE'
  | 'BUCKET_LENGTH'
  | 'BUCKET_UPPERCASE'
  | 'BUCKET_CHARACTERS'
  | 'BUCKET_DOTS'
  | 'BUCKET_EDGE'
  | 'BUCKET_RESERVED'
  | 'REGION_FORMAT'
  | 'REGION_PARTITION_MISMATCH'
  | 'ROLE_ARN_FORMAT'
  | 'ROLE_ARN_PARTITION'
  | 'ROLE_ARN_SERVICE'
  | 'ROLE_ARN_NOT_A_ROLE'
  | 'ROLE_ARN_ACCOUNT'
  | 'ROLE_ARN_PATH'
  | 'ROLE_ARN_NAME'
  | 'ENDPOINT_REQUIRED'
  | 'ENDPOINT_URL'
  | 'ENDPOINT_PROTOCOL'
  | 'ENDPOINT_INSECURE'
  | 'ENDPOINT_CREDENTIALS'
  | 'ENDPOINT_PATH'
  | 'ENDPOINT_QUERY'
  | 'ENDPOINT_NOT_AWS'
  | 'ENDPOINT_PRIVATE_HOST'
  | 'PREFIX_REQUIRED'
  | 'PREFIX_LENGTH'
  | 'PREFIX_SLASHES'
  | 'PREFIX_CHARACTERS'
  | 'PREFIX_SEGMENT'
  | 'EXTERNAL_ID_FORMAT';

export interface StorageTargetIssue {
  field: StorageTargetField;
  code: StorageTargetIssueCode;
  /** What is wrong and how to fix it, for the tenant admin. */
  message: string;
}

/** A target as submitted; strings are trimmed before validation. */
export interface StorageTargetInput {
  mode: StorageMode;
  provider: StorageProvider;
  endpoint?: string | null;
  region: string;
  bucket: string;
  prefix?: string | null;
  roleArn: string;
  externalId: string;
}

export interface StorageTargetValidationOptions {
  /**
   * Development and tests only: accept `http://` endpoints and loopback/private IP hosts (the local
   * RGW at http://127.0.0.1:7480). Off in production: over plain HTTP the session token travels in
   * clear, and private hosts would let a tenant point Isola's servers at internal services.
   * Link-local hosts (cloud metadata) are refused regardless.
   */
  allowLocalEndpoints?: boolean;
}

export type StorageTargetValidation = { ok: true; value: StorageTargetConfig } | { ok: false; issues: StorageTargetIssue[] };

const MODES: readonly StorageMode[] = ['hosted', 'isolated'];
const PROVIDERS: readonly StorageProvider[] = ['aws', 's3_compatible'];

/** Validates and normalises (trimmed strings, endpoint reduced to its origin) a target. */
export function validateStorageTarget(input: StorageTargetInput, options: StorageTargetValidationOptions = {}): StorageTargetValidation {
  const issues: StorageTargetIssue[] = [];
  const mode = input.mode;
  const provider = input.provider;
  if (!MODES.includes(mode)) {
    issues.push(issue('mode', 'INVALID_VALUE', `Storage mode must be "hosted" or "isolated", got ${quote(String(mode))}.`));
  }
  if (!PROVIDERS.includes(provider)) {
    issues.push(issue('provider', 'INVALID_VALUE', `Provider must be "aws" or "s3_compatible", got ${quote(String(provider))}.`));
  }

  const bucket = input.bucket.trim();
  const region = input.region.trim();
  const roleArn = input.roleArn.trim();
  const externalId = input.externalId.trim();
  const prefix = (input.prefix ?? '').trim();
  const endpointInput = (input.endpoint ?? '').trim();

  issues.push(...validateBucketName(bucket));
  issues.push(...validateRegion(region, provider));
  issues.push(...validateRoleArn(roleArn, provider));
  issues.push(...validateStoragePrefix(prefix, mode));
  issues.push(...validateExternalId(externalId));
  const endpoint = validateEndpoint(endpointInput, provider, options);
  issues.push(...endpoint.issues);

  if (provider === 'aws') issues.push(...validatePartitionMatch(region, roleArn));

  if (issues.length > 0) return { ok: false, issues };
  const value: StorageTargetConfig = { mode, provider, region, bucket, prefix, roleArn, externalId };
  if (endpoint.origin !== undefined) value.endpoint = endpoint.origin;
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------
// Bucket

const BUCKET_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const BUCKET_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '--x-s3', '--table-s3'];

/**
 * S3 bucket naming rules, plus Isola's own: no dots. Dotted names break TLS for virtual-hosted-style
 * URLs (`my.bucket.s3.amazonaws.com` is not covered by `*.s3.amazonaws.com`), which browsers use for
 * uploads and links.
 */
export function validateBucketName(bucket: string): StorageTargetIssue[] {
  if (bucket === '') return [issue('bucket', 'REQUIRED', 'Enter the name of the bucket Isola should store media in.')];
  const issues: StorageTargetIssue[] = [];
  if (bucket.length < 3 || bucket.length > 63) {
    issues.push(issue('bucket', 'BUCKET_LENGTH', `Bucket names are 3 to 63 characters long; ${quote(bucket)} has ${bucket.length}.`));
  }
  if (bucket.includes('.')) {
    issues.push(
      issue(
        'bucket',
        'BUCKET_DOTS',
        `Bucket names with dots are not supported: HTTPS certificates do not cover them in virtual-hosted-style URLs. ` +
          `Use a bucket without dots, e.g. ${quote(bucket.replaceAll('.', '-').toLowerCase())}.`,
      ),
    );
  }
  if (/[A-Z]/.test(bucket)) {
    issues.push(issue('bucket', 'BUCKET_UPPERCASE', `Bucket names are lowercase: use ${quote(bucket.toLowerCase())}.`));
  }
  const invalid = uniqueChars(bucket.replace(/[a-zA-Z0-9.-]/g, ''));
  if (invalid !== '') {
    issues.push(
      issue(
        'bucket',
        'BUCKET_CHARACTERS',
        `Bucket names contain only lowercase letters, digits and hyphens; remove ${describeChars(invalid)}.`,
      ),
    );
  }
  if (!/^[a-zA-Z0-9]/.test(bucket) || !/[a-zA-Z0-9]$/.test(bucket)) {
    issues.push(issue('bucket', 'BUCKET_EDGE', 'Bucket names start and end with a lowercase letter or a digit.'));
  }
  const lower = bucket.toLowerCase();
  const reservedPrefix = BUCKET_RESERVED_PREFIXES.find((p) => lower.startsWith(p));
  const reservedSuffix = BUCKET_RESERVED_SUFFIXES.find((s) => lower.endsWith(s));
  if (reservedPrefix !== undefined || reservedSuffix !== undefined) {
    issues.push(
      issue(
        'bucket',
        'BUCKET_RESERVED',
        `${quote(reservedPrefix ?? reservedSuffix ?? '')} is reserved by S3 at the ${reservedPrefix !== undefined ? 'start' : 'end'} of bucket names; choose another name.`,
      ),
    );
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Region

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$/;
const COMPATIBLE_REGION = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function validateRegion(region: string, provider: StorageProvider): StorageTargetIssue[] {
  if (region === '') {
    return [
      issue(
        'region',
        'REQUIRED',
        provider === 'aws'
          ? 'Enter the bucket\'s AWS region, e.g. "eu-west-1".'
          : 'Enter the region your S3 service expects, e.g. "us-east-1" or "default".',
      ),
    ];
  }
  if (provider === 'aws' && !AWS_REGION.test(region)) {
    return [
      issue(
        'region',
        'REGION_FORMAT',
        `${quote(region)} is not an AWS region code. Use the code shown in the S3 console next to the bucket, e.g. "eu-west-1", "us-gov-west-1" or "cn-north-1" (not the display name).`,
      ),
    ];
  }
  if (provider !== 'aws' && !COMPATIBLE_REGION.test(region)) {
    return [
      issue(
        'region',
        'REGION_FORMAT',
        `${quote(region)} is not a valid region name: use letters, digits, "-" and "_" (up to 64), e.g. "us-east-1" or your zonegroup name.`,
      ),
    ];
  }
  return [];
}

function validatePartitionMatch(region: string, roleArn: string): StorageTargetIssue[] {
  const role = parseRoleArn(roleArn);
  if (!role || !AWS_REGION.test(region)) return [];
  const regionPartition = partitionOfRegion(region);
  if (regionPartition === role.partition) return [];
  return [
    issue(
      'region',
      'REGION_PARTITION_MISMATCH',
      `Region ${quote(region)} is in the ${quote(regionPartition)} partition but the role ARN is in ${quote(role.partition)}. ` +
        `A role can only reach buckets in its own partition: check the region and the role ARN (it starts with "arn:${regionPartition}:iam::").`,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Role ARN

const ARN_FIELDS = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH = /^\/(?:[\x21-\x7e]*\/)?$/;

/**
 * `arn:aws:iam::123456789012:role/path/name`, also in the `aws-us-gov` and `aws-cn` partitions.
 * S3-compatible services also use `arn:aws:iam:::role/name` (empty account) or a tenant/account name
 * in the account field (Ceph RGW).
 */
export function validateRoleArn(roleArn: string, provider: StorageProvider): StorageTargetIssue[] {
  const example = 'arn:aws:iam::123456789012:role/IsolaMediaAccess';
  if (roleArn === '') {
    return [issue('roleArn', 'REQUIRED', `Paste the ARN of the role you created for Isola, e.g. ${quote(example)}.`)];
  }
  const fields = ARN_FIELDS.exec(roleArn);
  if (!fields) {
    return [
      issue(
        'roleArn',
        'ROLE_ARN_FORMAT',
        `${quote(roleArn)} is not an ARN. Copy the role's ARN from the IAM console (Roles → your role → ARN), e.g. ${quote(example)}.`,
      ),
    ];
  }
  const [, partition = '', service = '', region = '', account = '', resource = ''] = fields;
  const issues: StorageTargetIssue[] = [];
  if (!(AWS_PARTITIONS as readonly string[]).includes(partition)) {
    issues.push(
      issue(
        'roleArn',
        'ROLE_ARN_PARTITION',
        `Unknown partition ${quote(partition)}: role ARNs start with "arn:aws:", "arn:aws-us-gov:" or "arn:aws-cn:".`,
      ),
    );
  }
  if (service !== 'iam') {
    const hint =
      service === 'sts'
        ? 'This is a session (assumed-role) ARN; use the role\'s own ARN, which has "iam" and ":role/".'
        : 'Isola needs the ARN of an IAM role, which has "iam" as its service.';
    issues.push(issue('roleArn', 'ROLE_ARN_SERVICE', `${quote(roleArn)} is an ${quote(service)} ARN. ${hint}`));
    return issues;
  }
  if (region !== '') {
    issues.push(
      issue(
        'roleArn',
        'ROLE_ARN_FORMAT',
        `IAM ARNs have no region: remove ${quote(region)} (the ARN starts with "arn:${partition}:iam::").`,
      ),
    );
  }
  if (provider === 'aws' && !/^\d{12}$/.test(account)) {
    issues.push(
      issue(
        'roleArn',
        'ROLE_ARN_ACCOUNT',
        `The account in a role ARN is the 12-digit AWS account id, got ${quote(account)}; copy the ARN again from the IAM console.`,
      ),
    );
  }
  if (provider !== 'aws' && !/^[A-Za-z0-9_-]{0,64}$/.test(account)) {
    issues.push(
      issue(
        'roleArn',
        'ROLE_ARN_ACCOUNT',
        `The account field ${quote(account)} is invalid: leave it empty ("arn:aws:iam:::role/name") or use your tenant/account id.`,
      ),
    );
  }
  if (!resource.startsWith('role/')) {
    issues.push(
      issue(
        'roleArn',
        'ROLE_ARN_NOT_A_ROLE',
        `This ARN names ${quote(resource.split('/')[0] ?? resource)}, not a role; Isola needs a role ARN ("…:role/<name>").`,
      ),
    );
    return issues;
  }
  const lastSlash = resource.lastIndexOf('/');
  const path = resource.slice('role'.length, lastSlash + 1);
  const name = resource.slice(lastSlash + 1);
  if (!ROLE_NAME.test(name)) {
    issues.push(
      issue(
        'roleArn',
        'ROLE_ARN_NAME',
        `Role name ${quote(name)} is invalid: 1 to 64 letters, digits or "+=,.@_-". Check that the ARN was copied completely.`,
      ),
    );
  }
  if (path.length > 512 || !ROLE_PATH.test(path) || path.includes('//')) {
    issues.push(issue('roleArn', 'ROLE_ARN_PATH', `Role path ${quote(path)} is invalid; copy the ARN again from the IAM console.`));
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Endpoint

const AWS_ENDPOINT_HOST = /(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/;

/**
 * An endpoint is an origin: `http(s)://host[:port]`, no credentials, path, query or fragment.
 * Returns the normalised origin when valid.
 *
 * This is a syntactic check: a DNS name can still resolve to a private address, so the S3 adapter
 * must also refuse private addresses at connection time.
 */
export function validateEndpoint(
  endpoint: string,
  provider: StorageProvider,
  options: StorageTargetValidationOptions = {},
): { issues: StorageTargetIssue[]; origin?: string } {
  if (endpoint === '') {
    if (provider === 'aws') return { issues: [] };
    return {
      issues: [issue('endpoint', 'ENDPOINT_REQUIRED', 'S3-compatible storage needs its endpoint URL, e.g. "https://s3.example.com".')],
    };
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    const hint = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? '' : ' Include the scheme, e.g. "https://s3.example.com".';
    return { issues: [issue('endpoint', 'ENDPOINT_URL', `${quote(endpoint)} is not a valid URL.${hint}`)] };
  }
  const issues: StorageTargetIssue[] = [];
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    issues.push(
      issue(
        'endpoint',
        'ENDPOINT_PROTOCOL',
        `Endpoints use https:// (not ${quote(url.protocol)}), e.g. "https://${url.host || 's3.example.com'}".`,
      ),
    );
    return { issues };
  }
  if (url.username !== '' || url.password !== '') {
    issues.push(
      issue(
        'endpoint',
        'ENDPOINT_CREDENTIALS',
        'Remove the user name and password from the endpoint: Isola signs requests with temporary credentials from your role.',
      ),
    );
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    issues.push(
      issue(
        'endpoint',
        'ENDPOINT_PATH',
        `Remove the path ${quote(url.pathname)}: the endpoint is the service's address only (${quote(url.origin)}); the bucket and prefix have their own fields.`,
      ),
    );
  }
  if (url.search !== '' || url.hash !== '' || endpoint.includes('?') || endpoint.includes('#')) {
    issues.push(issue('endpoint', 'ENDPOINT_QUERY', `Remove the query string or fragment: use ${quote(url.origin)}.`));
  }

  const hostClass = classifyHost(url.hostname);
  if (provider === 'aws') {
    if (url.protocol !== 'https:') {
      issues.push(issue('endpoint', 'ENDPOINT_INSECURE', 'AWS endpoints use https://.'));
    }
    if (!AWS_ENDPOINT_HOST.test(url.hostname)) {
      issues.push(
        issue(
          'endpoint',
          'ENDPOINT_NOT_AWS',
          `${quote(url.hostname)} is not an AWS endpoint. Leave the endpoint empty for Amazon S3, or choose the "S3-compatible" provider for other services.`,
        ),
      );
    }
  } else {
    if (url.protocol === 'http:' && !options.allowLocalEndpoints) {
      issues.push(
        issue(
          'endpoint',
          'ENDPOINT_INSECURE',
          `Use https:// (${quote(`https://${url.host}`)}): over plain http, temporary credentials would travel unencrypted.`,
        ),
      );
    }
    if (hostClass === 'link-local' || (hostClass === 'private' && !options.allowLocalEndpoints)) {
      issues.push(
        issue(
          'endpoint',
          'ENDPOINT_PRIVATE_HOST',
          `${quote(url.hostname)} is a ${hostClass === 'link-local' ? 'link-local' : 'private or loopback'} address that Isola's servers cannot use for tenant storage; use your service's public hostname.`,
        ),
      );
    }
  }
  return issues.length > 0 ? { issues } : { issues, origin: url.origin };
}

type HostClass = 'public' | 'private' | 'link-local';

/** Classifies IP-literal and `localhost` hosts (WHATWG URL has already normalised IPv4 forms). */
function classifyHost(hostname: string): HostClass {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'private';
  const ipv4 = parseIpv4(host);
  if (ipv4) return classifyIpv4(ipv4);
  if (host.startsWith('[') && host.endsWith(']')) return classifyIpv6(host.slice(1, -1));
  return 'public';
}

function parseIpv4(host: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

function classifyIpv4([a = 0, b = 0]: number[]): HostClass {
  if (a === 169 && b === 254) return 'link-local';
  if (a === 0 || a === 10 || a === 127) return 'private';
  if (a === 172 && b >= 16 && b <= 31) return 'private';
  if (a === 192 && b === 168) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT
  return 'public';
}

function classifyIpv6(address: string): HostClass {
  if (address === 'fd00:ec2::254') return 'link-local'; // EC2 instance metadata over IPv6
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mapped) {
    const high = parseInt(mapped[1] ?? '0', 16);
    const low = parseInt(mapped[2] ?? '0', 16);
    return classifyIpv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  }
  if (address === '::1' || address === '::') return 'private';
  if (/^fe[89ab]/.test(address)) return 'link-local';
  if (/^f[cd]/.test(address)) return 'private';
  return 'public';
}

// ---------------------------------------------------------------------------------------------
// Prefix

/**
 * The key prefix under which Isola stores this target's objects: `''` (bucket root, isolated only)
 * or `/`-separated segments of letters, digits, `.`, `_`, `-`, at most 256 characters. `*`, `?`, `$`
 * and spaces are refused: prefixes go verbatim into session policies, where they are wildcards.
 */
export function validateStoragePrefix(prefix: string, mode: StorageMode): StorageTargetIssue[] {
  if (prefix === '') {
    return mode === 'hosted'
      ? [
          issue(
            'prefix',
            'PREFIX_REQUIRED',
            'Hosted storage shares the platform bucket: give this tenant its own prefix, e.g. "tenants/<tenant-id>".',
          ),
        ]
      : [];
  }
  const issues: StorageTargetIssue[] = [];
  if (prefix.length > MAX_PREFIX_LENGTH) {
    issues.push(
      issue(
        'prefix',
        'PREFIX_LENGTH',
        `Prefixes are at most ${MAX_PREFIX_LENGTH} characters; this one has ${prefix.length}. Use a shorter folder path.`,
      ),
    );
  }
  const segments = prefix.split('/');
  if (segments.some((segment) => segment === '')) {
    const fixed = segments.filter((segment) => segment !== '').join('/');
    issues.push(
      issue(
        'prefix',
        'PREFIX_SLASHES',
        `Write the prefix without leading, trailing or doubled slashes${fixed === '' ? '; leave it empty for the bucket root' : `: ${quote(fixed)}`}.`,
      ),
    );
  }
  const invalid = uniqueChars(prefix.replace(/[A-Za-z0-9._/-]/g, ''));
  if (invalid !== '') {
    issues.push(
      issue(
        'prefix',
        'PREFIX_CHARACTERS',
        `Prefixes use letters, digits, ".", "_", "-" and "/" between folders; remove ${describeChars(invalid)}.`,
      ),
    );
  }
  if (segments.some((segment) => /^\.+$/.test(segment))) {
    issues.push(issue('prefix', 'PREFIX_SEGMENT', 'A prefix folder cannot be only dots ("." or ".."); rename that folder.'));
  }
  return issues;
}

/**
 * Whether two prefixes in the same bucket overlap (one is, or lies under, the other), in which case
 * one tenant's `…/media/*` grants would reach the other's objects. The hosted-bucket prefix
 * allocator must refuse overlapping prefixes.
 */
export function storagePrefixesOverlap(a: string, b: string): boolean {
  if (a === '' || b === '') return true;
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

// ---------------------------------------------------------------------------------------------
// ExternalId

const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** AWS's ExternalId format. Isola generates it, so a failure means it must be regenerated. */
export function validateExternalId(externalId: string): StorageTargetIssue[] {
  if (externalId === '') return [issue('externalId', 'REQUIRED', 'This target has no ExternalId: regenerate it.')];
  if (!EXTERNAL_ID.test(externalId)) {
    return [
      issue(
        'externalId',
        'EXTERNAL_ID_FORMAT',
        'The ExternalId must be 2 to 1224 letters, digits or "+=,.@:/-": regenerate it and update the role\'s trust policy.',
      ),
    ];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------

function issue(field: StorageTargetField, code: StorageTargetIssueCode, message: string): StorageTargetIssue {
  return { field, code, message };
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function uniqueChars(text: string): string {
  return [...new Set(text)].join('');
}

function describeChars(chars: string): string {
  return [...chars].map((c) => (c === ' ' ? 'spaces' : quote(c))).join(', ');
}
