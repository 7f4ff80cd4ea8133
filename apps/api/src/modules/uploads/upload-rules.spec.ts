import { S3_MAX_OBJECT_BYTES, S3_MIN_PART_BYTES } from '@isola/contracts';
import {
  checkCompletion,
  checkUploadSize,
  displayFilename,
  normalizeEtag,
  parseDeclaredSize,
  parsePartNumber,
  uploadLimitBytes,
} from './upload-rules.js';

const MiB = 1024 * 1024;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('parseDeclaredSize', () => {
  it('takes whole positive numbers, as JSON numbers or decimal strings', () => {
    expect(parseDeclaredSize(1)).toBe(1n);
    expect(parseDeclaredSize(64 * MiB)).toBe(BigInt(64 * MiB));
    expect(parseDeclaredSize(' 5497558138880 ')).toBe(5497558138880n);
    expect(parseDeclaredSize('99999999999999999999')).toBe(99999999999999999999n);
  });

  it.each([undefined, null, 0, -1, 1.5, Number.NaN, Infinity, '0', '-3', '1.5', '1e6', '', 'abc', {}, [], true])(
    'refuses %p with INVALID_SIZE',
    (value) => {
      expect(codeOf(() => parseDeclaredSize(value))).toBe('INVALID_SIZE');
    },
  );
});

describe('upload limits', () => {
  it("uses the tenant's limit, else the platform default, never above S3's 5 TiB", () => {
    expect(uploadLimitBytes(BigInt(10 * MiB), S3_MAX_OBJECT_BYTES)).toBe(BigInt(10 * MiB));
    expect(uploadLimitBytes(null, 100 * MiB)).toBe(BigInt(100 * MiB));
    expect(uploadLimitBytes(BigInt(S3_MAX_OBJECT_BYTES) * 10n, S3_MAX_OBJECT_BYTES)).toBe(BigInt(S3_MAX_OBJECT_BYTES));
    expect(uploadLimitBytes(null, S3_MAX_OBJECT_BYTES * 2)).toBe(BigInt(S3_MAX_OBJECT_BYTES));
  });

  it('refuses sizes over the limit with UPLOAD_TOO_LARGE', () => {
    expect(codeOf(() => checkUploadSize(11n, 10n))).toBe('UPLOAD_TOO_LARGE');
    expect(codeOf(() => checkUploadSize(10n, 10n))).toBeUndefined();
  });
});

describe('displayFilename', () => {
  it('keeps Unicode, removes controls and separators, shortens to 255 bytes keeping the extension', () => {
    expect(displayFilename('Café ☕.mov')).toBe('Café ☕.mov');
    expect(displayFilename('a/b\\c\u0000d.mp4')).toBe('a_b_cd.mp4');
    expect(displayFilename('../../etc/passwd')).not.toMatch(/\/|\.\./);
    const long = displayFilename(`${'é'.repeat(1000)}.mxf`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(long.endsWith('.mxf')).toBe(true);
  });
});

describe('parsePartNumber', () => {
  it('takes 1…10,000 from a path segment or a number', () => {
    expect(parsePartNumber('1')).toBe(1);
    expect(parsePartNumber(10_000)).toBe(10_000);
  });

  it.each(['0', '10001', '-1', '1.5', 'abc', '', 0, 10_001, 2.5, null])('refuses %p with INVALID_PART_NUMBER', (value) => {
    expect(codeOf(() => parsePartNumber(value))).toBe('INVALID_PART_NUMBER');
  });
});

describe('checkCompletion', () => {
  const stored = [
    { partNumber: 1, etag: '"aaa"', size: S3_MIN_PART_BYTES },
    { partNumber: 2, etag: '"bbb"', size: S3_MIN_PART_BYTES },
    { partNumber: 3, etag: '"ccc"', size: 10 },
  ];
  const total = BigInt(2 * S3_MIN_PART_BYTES + 10);

  it('accepts the parts in any order with bare or quoted ETags, returning the stored parts', () => {
    const check = checkCompletion(
      [
        { partNumber: 3, etag: 'ccc' },
        { partNumber: 1, etag: '"aaa"' },
        { partNumber: 2, etag: 'bbb' },
      ],
      stored,
      total,
    );
    expect(check).toEqual({ ok: true, parts: stored, totalBytes: total });
  });

  it('reports a size mismatch without throwing (the caller fails the upload)', () => {
    const check = checkCompletion([{ partNumber: 1, etag: 'aaa' }], stored, total);
    expect(check).toMatchObject({ ok: false, reason: 'size-mismatch', totalBytes: BigInt(S3_MIN_PART_BYTES) });
  });

  it('refuses small parts but the last, missing parts, other ETags and repeated numbers', () => {
    const small = [
      { partNumber: 1, etag: 'a', size: S3_MIN_PART_BYTES - 1 },
      { partNumber: 2, etag: 'b', size: 10 },
    ];
    expect(
      codeOf(() =>
        checkCompletion(
          [
            { partNumber: 1, etag: 'a' },
            { partNumber: 2, etag: 'b' },
          ],
          small,
          BigInt(S3_MIN_PART_BYTES + 9),
        ),
      ),
    ).toBe('PART_TOO_SMALL');
    expect(codeOf(() => checkCompletion([{ partNumber: 4, etag: 'x' }], stored, total))).toBe('INVALID_PART');
    expect(codeOf(() => checkCompletion([{ partNumber: 1, etag: 'zzz' }], stored, total))).toBe('INVALID_PART');
    expect(
      codeOf(() =>
        checkCompletion(
          [
            { partNumber: 1, etag: 'aaa' },
            { partNumber: 1, etag: 'aaa' },
          ],
          stored,
          total,
        ),
      ),
    ).toBe('INVALID_PART');
  });

  it('normalises ETags', () => {
    expect(normalizeEtag(' "abc" ')).toBe('abc');
    expect(normalizeEtag('W/"abc"')).toBe('abc');
  });
});
