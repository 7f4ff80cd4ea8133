import { createHash, createHmac, createSecretKey, type Hash, type Hmac, type KeyObject } from 'node:crypto';

/** The hash interface `@smithy/signature-v4` takes (`Checksum` in `@smithy/types`). */
export interface Sha256Checksum {
  update(data: Uint8Array): void;
  digest(): Promise<Uint8Array>;
  reset(): void;
}

export type Sha256Source = string | ArrayBuffer | ArrayBufferView;
export type Sha256Constructor = new (secret?: Sha256Source) => Sha256Checksum;

/**
 * A SHA-256 / HMAC-SHA256 constructor for `SignatureV4`, backed by node:crypto (OpenSSL), that keeps
 * the `KeyObject` of each HMAC key it sees. Presigning a URL computes three HMACs, and two of their
 * keys are the same for every URL signed with one credential (the secret key, hashed for the
 * signer's own cache lookup, and the day's signing key); importing a raw key into OpenSSL on every
 * `createHmac` is most of the cost of a signature. `@aws-crypto/sha256-js` (pure JS) or a plain
 * `createHmac` wrapper sign about 3× fewer URLs per second.
 *
 * The signer also recomputes, for every URL, the same HMAC of the access key id under the secret key
 * (to look its signing-key cache up): HMACs under a text key are remembered per (key, message) —
 * a pure function of its inputs, so remembering is exact.
 *
 * Make one per signer (one per cached credential), so what it remembers dies with it: binary keys
 * are held weakly, text keys (the secret key) and their HMACs in small bounded maps.
 */
export function createNodeSha256(maxTextKeys = 8): Sha256Constructor {
  const textKeys = new Map<string, KeyObject>();
  const binaryKeys = new WeakMap<object, KeyObject>();

  const keyObjectOf = (secret: Sha256Source): KeyObject => {
    if (typeof secret === 'string') {
      let key = textKeys.get(secret);
      if (key === undefined) {
        key = createSecretKey(Buffer.from(secret, 'utf8'));
        if (textKeys.size >= maxTextKeys) textKeys.clear();
        textKeys.set(secret, key);
      }
      return key;
    }
    let key = binaryKeys.get(secret);
    if (key === undefined) {
      const bytes = ArrayBuffer.isView(secret)
        ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
        : Buffer.from(new Uint8Array(secret));
      key = createSecretKey(Buffer.from(bytes)); // a copy: the caller may reuse its buffer
      binaryKeys.set(secret, key);
    }
    return key;
  };

  // (text key, short message) → HMAC; the messages are access key ids, a few dozen bytes
  const textHmacs = new Map<string, Uint8Array>();
  const MAX_REMEMBERED_MESSAGE = 128;

  return class NodeSha256 implements Sha256Checksum {
    private readonly key: KeyObject | undefined;
    private readonly textKey: string | undefined;
    /** Text-key HMACs: the message so far, while it is short enough to remember its HMAC. */
    private pending: Buffer[] | undefined;
    private pendingLength = 0;
    private hash: Hash | Hmac | undefined;

    constructor(secret?: Sha256Source) {
      this.key = secret === undefined ? undefined : keyObjectOf(secret);
      this.textKey = typeof secret === 'string' ? secret : undefined;
      this.reset();
    }

    update(data: Uint8Array): void {
      if (this.pending !== undefined) {
        if (this.pendingLength + data.byteLength <= MAX_REMEMBERED_MESSAGE) {
          this.pending.push(Buffer.from(data)); // a copy: the caller may reuse its buffer
          this.pendingLength += data.byteLength;
          return;
        }
        this.hash = this.start();
        for (const chunk of this.pending) this.hash.update(chunk);
        this.pending = undefined;
      }
      this.hash?.update(data);
    }

    digest(): Promise<Uint8Array> {
      if (this.pending === undefined || this.textKey === undefined) return Promise.resolve((this.hash ?? this.start()).digest());
      const message = Buffer.concat(this.pending, this.pendingLength);
      const memo = `${this.textKey.length}:${this.textKey}${message.toString('latin1')}`;
      let result = textHmacs.get(memo);
      if (result === undefined) {
        result = this.start().update(message).digest();
        if (textHmacs.size >= maxTextKeys) textHmacs.clear();
        textHmacs.set(memo, result);
      }
      return Promise.resolve(new Uint8Array(result)); // a copy: callers own what digest() returns
    }

    reset(): void {
      this.pendingLength = 0;
      if (this.textKey === undefined) {
        this.pending = undefined;
        this.hash = this.start();
      } else {
        this.pending = [];
        this.hash = undefined;
      }
    }

    private start(): Hash | Hmac {
      return this.key === undefined ? createHash('sha256') : createHmac('sha256', this.key);
    }
  };
}
