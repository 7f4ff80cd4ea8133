import { createNodeSha256 } from './node-sha256.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('createNodeSha256', () => {
  const Sha256 = createNodeSha256();

  it('hashes (FIPS 180-2 "abc")', async () => {
    const hash = new Sha256();
    hash.update(Buffer.from('abc'));
    expect(hex(await hash.digest())).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('computes HMACs with text and binary keys, the same when a key is seen again (RFC 4231 case 2)', async () => {
    const expected = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    const binaryKey = Buffer.from('Jefe');
    for (const key of ['Jefe', 'Jefe', binaryKey, binaryKey, new Uint8Array(binaryKey).buffer]) {
      const hmac = new Sha256(key);
      hmac.update(Buffer.from('what do ya want for nothing?'));
      expect(hex(await hmac.digest())).toBe(expected);
    }
  });

  it('starts over on reset', async () => {
    const hmac = new Sha256('Jefe');
    hmac.update(Buffer.from('noise'));
    hmac.reset();
    hmac.update(Buffer.from('what do ya want for nothing?'));
    expect(hex(await hmac.digest())).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('keeps at most the given number of text keys', async () => {
    const Small = createNodeSha256(2);
    const digests = new Set<string>();
    for (const key of ['a', 'b', 'c', 'a']) {
      const hmac = new Small(key);
      hmac.update(Buffer.from('x'));
      digests.add(hex(await hmac.digest()));
    }
    expect(digests.size).toBe(3);
  });
});
