import fc from 'fast-check';

/**
 * fast-check arbitraries for hostile input, shared by the validator properties and the HTTP fuzzing:
 * strings that break naive code (separators, dot runs, controls, bidi overrides, lone surrogates,
 * IAM wildcards, percent signs, NUL), numbers that break naive parsing, and near-valid values of
 * each field so the properties also reach the accepting branches.
 */

/** Characters that have tripped up filename, key, URL, SQL and policy code elsewhere. */
const NASTY_CHARS = [
  '/',
  '\\',
  '.',
  '..',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u0007',
  '\u007f',
  '\u0085',
  '\u00ad',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2066',
  '\u2028',
  '\ufeff',
  '\uffff',
  '\ud800',
  '\udfff',
  '%',
  '%00',
  '%2e%2e%2f',
  '*',
  '?',
  '$',
  '${aws:username}',
  '#',
  '&',
  '+',
  '=',
  '"',
  "'",
  '<',
  '>',
  '`',
  '{',
  '}',
  ':',
  ';',
  '|',
  'e\u0301',
  'é',
  'ﬁ',
  'İ',
  '😀',
  '👩‍👩‍👧',
  '🇫🇷',
  '日本',
  'ـ',
  'CON',
  'NUL',
  '.mp4',
];

/** Any UTF-16 code unit, lone surrogates included (JSON and query strings can carry them). */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Hostile strings of up to `maxLength` units: nasty pieces, any code unit, or plain text. */
export function hostileString(maxLength = 64): fc.Arbitrary<string> {
  const unit = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_CHARS) },
    { weight: 2, arbitrary: codeUnit },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 4 }) },
  );
  return fc.string({ unit, maxLength });
}

/** Long strings around the limits the code enforces (255-byte names, 1,024-byte keys, 4,096 characters). */
export const longString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('a', 'é', '😀', '/', '.', ' ', '日', '\u202e'),
    fc.constantFrom(200, 255, 256, 300, 1_000, 1_025, 4_096, 4_097, 10_000),
    fc.constantFrom('', '.mp4', '.MOV', '.'),
  )
  .map(([char, count, tail]) => char.repeat(count) + tail);

/** Filenames: hostile, long, or ordinary. */
export const filenameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: hostileString(80) },
  { weight: 1, arbitrary: longString },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('.mp4', '.mov', '.MXF', '.jpg', ''))
      .map(([a, b]) => a + b),
  },
);

/** Values a JSON client may put where a number of bytes is expected. */
export const declaredSizeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.maxSafeNat(),
  fc.double(),
  fc.constantFrom(0, -1, 1, 1.5, -0, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, 1e21, 5 * 1024 ** 4, 5 * 1024 ** 4 + 1),
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '01',
    ' 7 ',
    '1e3',
    '0x10',
    '1.0',
    '١٢٣',
    '',
    '99999999999999999999',
    '999999999999999999999',
    'NaN',
    'Infinity',
  ),
  fc.bigInt({ min: 0n, max: 10n ** 22n }).map(String),
  hostileString(24),
  fc.constantFrom(null, true, false, [], {}, [1], { size: 1 }),
);

/** Values for a part number (path segment or JSON). */
export const partNumberArb: fc.Arbitrary<string | number> = fc.oneof(
  fc.integer({ min: -5, max: 10_005 }),
  fc.constantFrom(0, 1, 10_000, 10_001, 1.5, -0, 1e21, 2 ** 31, 2 ** 53),
  fc.constantFrom(
    '1',
    '01',
    '0001',
    '10000',
    '10001',
    '000001',
    '0000001',
    ' 1',
    '1 ',
    '+1',
    '-1',
    '1.0',
    '1e2',
    '0x1',
    '١',
    '¹',
    'Infinity',
    '',
  ),
  fc.integer({ min: 0, max: 10_000_000 }).map(String),
  hostileString(12),
);

/** S3 bucket names: valid ones and near misses (dots, uppercase, edges, reserved affixes, lengths). */
export const bucketArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9.-]{0,70}$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'xn--bucket',
      'sthree-bucket',
      'bucket-s3alias',
      'bucket--ol-s3',
      'a',
      'ab',
      'a'.repeat(63),
      'a'.repeat(64),
      'My-Bucket',
      '-bucket',
      'bucket-',
      'my.bucket',
      '192.168.0.1',
    ),
  },
  { weight: 2, arbitrary: hostileString(70) },
);

const partitionArb = fc.constantFrom('aws', 'aws-us-gov', 'aws-cn', 'aws-iso', '', 'AWS');
const accountArb = fc.oneof(
  fc.stringMatching(/^\d{12}$/),
  fc.constantFrom('', 'tenant1', '12345678901', '1234567890123', 'acct:x'),
  hostileString(16),
);
const roleNameArb = fc.oneof(
  fc.stringMatching(/^[\w+=,.@-]{1,64}$/),
  fc.constantFrom('', 'x'.repeat(65), 'role name', 'r*', 'r$'),
  hostileString(20),
);
const rolePathArb = fc.oneof(
  fc.constant('/'),
  fc.stringMatching(/^\/([!-~]{1,20}\/)?$/),
  fc.constantFrom('//', '/a//b/', '/a', 'a/', '/\u00e9/'),
);

/** Role ARNs: well-formed ones (AWS and RGW shapes) and every way a pasted ARN goes wrong. */
export const roleArnArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        partitionArb,
        fc.constantFrom('iam', 'iam', 'sts', 's3', ''),
        fc.constantFrom('', '', 'us-east-1'),
        accountArb,
        fc.constantFrom('role', 'role', 'user', 'assumed-role', 'Role'),
        rolePathArb,
        roleNameArb,
      )
      .map(
        ([partition, service, region, account, kind, path, name]) =>
          `arn:${partition}:${service}:${region}:${account}:${kind}${path}${name}`,
      ),
  },
  { weight: 1, arbitrary: hostileString(80) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'arn:aws:iam:::role/isola',
      'arn:aws:iam::123456789012:role/IsolaMediaAccess',
      'arn:aws:iam::123456789012:role/a/b/c/Name',
      ' arn:aws:iam::123456789012:role/x ',
    ),
  },
);

/** Regions: AWS codes, RGW zonegroup names and garbage. */
export const regionArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('us-east-1', 'eu-west-3', 'us-gov-west-1', 'cn-north-1', 'default', 'zg_1', 'US East (N. Virginia)', ''),
  fc.stringMatching(/^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$/),
  hostileString(70),
);

/** Prefixes: valid folder paths and near misses. */
export const prefixArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'isola',
    'tenants/a',
    'a/b/c',
    '/a',
    'a/',
    'a//b',
    '.',
    '..',
    'a/../b',
    'a*',
    'a?b',
    '$x',
    'a b',
    'x'.repeat(256),
    'x'.repeat(257),
  ),
  fc.array(fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/), { minLength: 1, maxLength: 6 }).map((s) => s.join('/')),
  hostileString(40),
);

/**
 * Hosts that are loopback, private or link-local in every notation a URL parser turns back into an
 * IP literal (dotted, one integer, hex, IPv4-mapped IPv6), with the class a validator must see.
 */
export const internalHostArb: fc.Arbitrary<{ host: string; linkLocal: boolean }> = fc
  .tuple(
    fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(0), fc.constant(0), fc.constant(0), fc.constant(0)),
    ),
    fc.constantFrom('dotted', 'integer', 'hex', 'hex-dotted', 'mapped-v6', 'mapped-v6-dotted'),
  )
  .map(([[a, b, c, d], notation]) => {
    const n = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
    const hex = (x: number) => x.toString(16);
    const host = {
      dotted: `${a}.${b}.${c}.${d}`,
      integer: String(n),
      hex: `0x${hex(n)}`,
      'hex-dotted': `0x${hex(a)}.0x${hex(b)}.0x${hex(c)}.0x${hex(d)}`,
      'mapped-v6': `[::ffff:${hex((a << 8) + b)}:${hex((c << 8) + d)}]`,
      'mapped-v6-dotted': `[::ffff:${a}.${b}.${c}.${d}]`,
    }[notation];
    return { host, linkLocal: a === 169 && b === 254 };
  });

/** Endpoints: public and internal hosts, wrong schemes, credentials, paths, queries, garbage. */
export const endpointArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'https://s3.example.com',
    'https://s3.eu-west-3.amazonaws.com',
    'http://127.0.0.1:7480',
    'ftp://s3.example.com',
    'https://user:pw@s3.example.com',
    'https://s3.example.com/bucket',
    'https://s3.example.com?x=1',
    's3.example.com',
    'https://[fe80::1]',
    'https://localhost',
    'https://a.localhost',
    'javascript:alert(1)',
    'file:///etc/passwd',
  ),
  fc
    .tuple(fc.constantFrom('https', 'http'), internalHostArb, fc.constantFrom('', ':7480', ':443'))
    .map(([scheme, { host }, port]) => `${scheme}://${host}${port}`),
  fc.webUrl(),
  hostileString(60),
);

/** Query-string values: hostile strings, or repeated keys (arrays) and bracket syntax for nested parsers. */
export const queryValueArb: fc.Arbitrary<string | string[]> = fc.oneof(
  { weight: 4, arbitrary: hostileString(40) },
  // long, but within what Node's HTTP server accepts in a request line (16 KiB of headers in all)
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', 'é', '日', '/', '%'), fc.constantFrom(199, 200, 201, 255, 256, 1_000, 1_025))
      .map(([c, n]) => c.repeat(n)),
  },
  { weight: 1, arbitrary: fc.array(hostileString(10), { minLength: 2, maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0',
      '-1',
      '1e309',
      '101',
      '100',
      '1',
      'true',
      'null',
      '2026-13-45T25:61:00Z',
      '2026-02-01T00:00:00Z',
      '+275760-09-13T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '0000-01-01T00:00:00Z',
    ),
  },
);

/**
 * A query string from a key → value map: keys and values percent-encoded, arrays as repeated keys;
 * `raw` adds a fragment that is not valid percent-encoding at all.
 */
export function toQueryString(query: Record<string, string | string[]>, raw = ''): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    for (const one of [value].flat()) parts.push(`${encodeURIComponentLoose(key)}=${encodeURIComponentLoose(one)}`);
  }
  if (raw !== '') parts.push(raw);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** encodeURIComponent that does not throw on lone surrogates (it sends them as UTF-8 of U+FFFD, like browsers). */
export function encodeURIComponentLoose(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'));
}

/** Query fragments that are not valid percent-encoding or are odd in other ways. */
export const rawQueryFragmentArb: fc.Arbitrary<string> = fc.constantFrom(
  '',
  '',
  '',
  '%',
  '%zz',
  'a=%E0%A4%A',
  'a[b]=1',
  'a[]=1&a[]=2',
  'q[$ne]=1',
  '__proto__[x]=1',
  'constructor[prototype][x]=1',
  '=',
  '&&',
  'limit=1&limit=2',
  'q=%00',
  'cursor=%FF%FE',
);

/** A path segment: real ids, uuids, or hostile strings (sent percent-encoded). */
export const pathSegmentArb: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.constantFrom('0', '-1', 'null', 'undefined', '..', '.', '%', 'a'.repeat(300), '00000000-0000-0000-0000-000000000000'),
  hostileString(40).filter((s) => s !== ''),
);
