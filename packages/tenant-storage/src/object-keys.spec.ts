import {
  MAX_MEDIA_ID_LENGTH,
  MAX_OBJECT_KEY_BYTES,
  MAX_PREFIX_LENGTH,
  isKeyInMediaPrefix,
  isKeyInMediaSourcePrefix,
  isKeyInProbePrefix,
  isKeyInTenantMediaPrefix,
  isSafeObjectKey,
  isValidMediaId,
  isValidStoragePrefix,
  mediaPrefix,
  mediaSourcePrefix,
  probeKey,
  probePrefix,
  renditionKey,
  renditionsPrefix,
  sourceKey,
  tenantMediaPrefix,
} from './object-keys.js';
import { utf8ByteLength } from './utf8.js';

const MEDIA = '0192f3e4-7a6b-7c3d-9e8f-0123456789ab';

describe('object keys', () => {
  it('builds keys under a prefix', () => {
    expect(sourceKey('tenants/acme', MEDIA, 'My Film (final).mov')).toBe(`tenants/acme/media/${MEDIA}/source/My Film (final).mov`);
    expect(renditionKey('tenants/acme', MEDIA, '720p.mp4')).toBe(`tenants/acme/media/${MEDIA}/renditions/720p.mp4`);
    expect(tenantMediaPrefix('tenants/acme')).toBe('tenants/acme/media/');
    expect(mediaPrefix('tenants/acme', MEDIA)).toBe(`tenants/acme/media/${MEDIA}/`);
    expect(mediaSourcePrefix('tenants/acme', MEDIA)).toBe(`tenants/acme/media/${MEDIA}/source/`);
    expect(renditionsPrefix('tenants/acme', MEDIA)).toBe(`tenants/acme/media/${MEDIA}/renditions/`);
    expect(probePrefix('tenants/acme')).toBe('tenants/acme/.isola-probe/');
    expect(probeKey('tenants/acme', 'run-1.txt')).toBe('tenants/acme/.isola-probe/run-1.txt');
  });

  it('has no leading slash with the empty prefix', () => {
    expect(sourceKey('', 'm1', 'a.mp4')).toBe('media/m1/source/a.mp4');
    expect(renditionKey('', 'm1', 'poster.jpg')).toBe('media/m1/renditions/poster.jpg');
    expect(tenantMediaPrefix('')).toBe('media/');
    expect(mediaPrefix('', 'm1')).toBe('media/m1/');
    expect(probePrefix('')).toBe('.isola-probe/');
    expect(probeKey('', 'x')).toBe('.isola-probe/x');
  });

  it('sanitises the user-supplied filename', () => {
    expect(sourceKey('p', 'm1', '../../etc/passwd')).toBe('p/media/m1/source/_._etc_passwd');
    expect(sourceKey('p', 'm1', '..')).toBe('p/media/m1/source/file');
    expect(sourceKey('p', 'm1', 'a/b\\c.mp4')).toBe('p/media/m1/source/a_b_c.mp4');
  });

  it('keeps the worst-case source key within S3 limits', () => {
    const prefix = Array.from({ length: 64 }, () => 'abc')
      .join('/')
      .slice(0, MAX_PREFIX_LENGTH);
    expect(isValidStoragePrefix(prefix)).toBe(true);
    const mediaId = 'm'.repeat(MAX_MEDIA_ID_LENGTH);
    for (const name of ['😀'.repeat(1000) + '.mov', 'x'.repeat(5000), 'é'.repeat(900) + '.mp4']) {
      const key = sourceKey(prefix, mediaId, name);
      expect(utf8ByteLength(key)).toBeLessThanOrEqual(MAX_OBJECT_KEY_BYTES);
      expect(utf8ByteLength(key.slice(mediaSourcePrefix(prefix, mediaId).length))).toBeLessThanOrEqual(255);
      expect(isKeyInMediaSourcePrefix(key, prefix, mediaId)).toBe(true);
      expect(isSafeObjectKey(key)).toBe(true);
    }
  });

  it('refuses invalid parts instead of building a key from them', () => {
    expect(() => sourceKey('/p', 'm1', 'a')).toThrow(RangeError);
    expect(() => sourceKey('p/', 'm1', 'a')).toThrow(RangeError);
    expect(() => sourceKey('p/../q', 'm1', 'a')).toThrow(RangeError);
    expect(() => sourceKey('p', '../m1', 'a')).toThrow(RangeError);
    expect(() => sourceKey('p', 'm/1', 'a')).toThrow(RangeError);
    expect(() => sourceKey('p', '', 'a')).toThrow(RangeError);
    expect(() => sourceKey('p', 'm'.repeat(MAX_MEDIA_ID_LENGTH + 1), 'a')).toThrow(RangeError);
    expect(() => renditionKey('p', 'm1', '../source/x')).toThrow(RangeError);
    expect(() => renditionKey('p', 'm1', 'a/b.mp4')).toThrow(RangeError);
    expect(() => renditionKey('p', 'm1', '.hidden')).toThrow(RangeError);
    expect(() => renditionKey('p', 'm1', 'a..b')).toThrow(RangeError);
    expect(() => probeKey('p', '')).toThrow(RangeError);
  });

  it.each([
    ['', true],
    ['tenants/acme', true],
    ['a.b_c-d/E9', true],
    ['a'.repeat(MAX_PREFIX_LENGTH), true],
    ['a'.repeat(MAX_PREFIX_LENGTH + 1), false],
    ['/a', false],
    ['a/', false],
    ['a//b', false],
    ['a/./b', false],
    ['a/../b', false],
    ['a/.../b', false],
    ['a b', false],
    ['a*', false],
    ['a?', false],
    ['${aws:username}', false],
    ['ünïcode', false],
  ])('isValidStoragePrefix(%j) = %s', (prefix, valid) => {
    expect(isValidStoragePrefix(prefix)).toBe(valid);
  });

  it.each([
    ['m1', true],
    [MEDIA, true],
    ['a_b-C', true],
    ['', false],
    ['a.b', false],
    ['a/b', false],
    ['..', false],
  ])('isValidMediaId(%j) = %s', (id, valid) => {
    expect(isValidMediaId(id)).toBe(valid);
  });

  describe('prefix membership', () => {
    const prefix = 'tenants/acme';
    it.each([
      [`tenants/acme/media/${MEDIA}/source/a.mp4`, true],
      [`tenants/acme/media/${MEDIA}/renditions/720p.mp4`, true],
      [`tenants/acme/media/${MEDIA}/`, false], // the folder itself
      [`tenants/acme/media/${MEDIA}`, false],
      [`tenants/acme/media/${MEDIA}x/source/a.mp4`, false], // another media sharing the id's start
      [`tenants/acme/media/other/source/a.mp4`, false],
      [`tenants/acme/media/${MEDIA}/../other/source/a.mp4`, false],
      [`tenants/acme/media/${MEDIA}/./source/a.mp4`, false],
      [`tenants/acme/media/${MEDIA}//a.mp4`, false],
      [`tenants/acme/media/${MEDIA}/source/a\u0000.mp4`, false],
      [`/tenants/acme/media/${MEDIA}/source/a.mp4`, false],
      [`tenants/acme2/media/${MEDIA}/source/a.mp4`, false],
      [`tenants/acme/media/${MEDIA}/source/${'x'.repeat(1024)}`, false],
    ])('isKeyInMediaPrefix(%j) = %s', (key, inside) => {
      expect(isKeyInMediaPrefix(key, prefix, MEDIA)).toBe(inside);
    });

    it.each([
      ['tenants/acme/media/m1/source/a.mp4', true],
      ['tenants/acme/media/m2/renditions/x.mp4', true],
      ['tenants/acme/media/', false],
      ['tenants/acme/.isola-probe/x', false],
      ['tenants/acme/mediax/m1/a', false],
      ['tenants/acme-other/media/m1/a', false],
      ['tenants/acme/media/../../other/media/m1/a', false],
    ])('isKeyInTenantMediaPrefix(%j) = %s', (key, inside) => {
      expect(isKeyInTenantMediaPrefix(key, prefix)).toBe(inside);
    });

    it('works with the empty prefix', () => {
      expect(isKeyInTenantMediaPrefix('media/m1/source/a.mp4', '')).toBe(true);
      expect(isKeyInTenantMediaPrefix('other/media/m1/a', '')).toBe(false);
      expect(isKeyInMediaPrefix('media/m1/source/a.mp4', '', 'm1')).toBe(true);
      expect(isKeyInMediaSourcePrefix('media/m1/renditions/a.mp4', '', 'm1')).toBe(false);
      expect(isKeyInProbePrefix('.isola-probe/run-1', '')).toBe(true);
      expect(isKeyInProbePrefix('media/.isola-probe/run-1', '')).toBe(false);
    });

    it('answers false rather than throwing for invalid prefixes or ids', () => {
      expect(isKeyInMediaPrefix('x/media/m1/a', 'x/', 'm1')).toBe(false);
      expect(isKeyInMediaPrefix('x/media/../a', 'x', '..')).toBe(false);
      expect(isKeyInTenantMediaPrefix('media/a', '/')).toBe(false);
    });
  });

  it.each([
    ['a', true],
    ['a/b/c', true],
    ['a/ b /c', true],
    ['', false],
    ['/a', false],
    ['a/', false],
    ['a//b', false],
    ['./a', false],
    ['a/..', false],
    ['a\u007f', false],
    ['x'.repeat(1024), true],
    ['x'.repeat(1025), false],
    ['é'.repeat(513), false],
  ])('isSafeObjectKey(%j) = %s', (key, safe) => {
    expect(isSafeObjectKey(key)).toBe(safe);
  });
});
