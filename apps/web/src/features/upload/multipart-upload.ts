import { md5Base64 } from './md5';

/** S3's limits (S3_MIN_PART_BYTES and S3_MAX_PART_NUMBER in @isola/contracts, whose zod schemas stay out of this chunk). */
const S3_MIN_PART_BYTES = 5 * 1024 ** 2;
const S3_MAX_PART_NUMBER = 10_000;

/** A multipart upload Isola created: what resuming it needs (kept across reloads by Golden Retriever). */
export interface UploadRef {
  uploadId: string;
  key: string;
}

export interface StoredPart {
  partNumber: number;
  etag: string;
  size: number;
}

export interface UploadResult {
  location: string;
  key: string;
  mediaId: string;
}

/**
 * Isola's upload routes (Uppy's Companion S3 protocol under /api/s3) and the part PUT to the bucket. The
 * API never sees the bytes: it answers with presigned part URLs.
 */
export interface UploadTransport {
  create(input: { filename: string; type: string; metadata: Record<string, unknown> }, signal: AbortSignal): Promise<UploadRef>;
  /** A presigned URL for one part; `headers` must be sent as they are. */
  signPart(ref: UploadRef, partNumber: number, signal: AbortSignal): Promise<SignedPart>;
  /** Presigned URLs for several parts in one request (the batch route), for signing ahead. */
  signParts(ref: UploadRef, partNumbers: readonly number[], signal: AbortSignal): Promise<SignedParts>;
  listParts(ref: UploadRef, signal: AbortSignal): Promise<StoredPart[]>;
  complete(ref: UploadRef, parts: Array<{ partNumber: number; etag: string }>, signal: AbortSignal): Promise<UploadResult>;
  abort(ref: UploadRef): Promise<void>;
  /** PUTs one part's bytes; resolves with the part's ETag. */
  putPart(
    url: string,
    headers: Record<string, string>,
    body: Blob,
    signal: AbortSignal,
    onProgress: (bytesSent: number) => void,
  ): Promise<string>;
}

export interface SignedPart {
  url: string;
  headers: Record<string, string>;
  /** ISO date the URL stops working. */
  expiresAt: string;
}

export interface SignedParts {
  /** Part number → URL. */
  presignedUrls: Record<string, string>;
  headers: Record<string, string>;
  expiresAt: string;
}

export interface PlannedPart {
  partNumber: number;
  start: number;
  end: number;
}

/** Parts of `size` bytes: `partSize` each (at least S3's 5 MiB, more when 10,000 parts would not do), the last one smaller. */
export function planParts(size: number, partSize = S3_MIN_PART_BYTES): PlannedPart[] {
  const chunk = Math.max(partSize, S3_MIN_PART_BYTES, Math.ceil(size / S3_MAX_PART_NUMBER));
  const parts: PlannedPart[] = [];
  for (let start = 0; start < size; start += chunk) parts.push({ partNumber: parts.length + 1, start, end: Math.min(start + chunk, size) });
  return parts;
}

/** Content-MD5 (base64) of a part's bytes. */
export async function partChecksum(part: Blob): Promise<string> {
  return md5Base64(new Uint8Array(await part.arrayBuffer()));
}

/** At most `max` tasks at once (part PUTs across all files: the browser's connections per host). */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** URLs closer than this to their expiry are signed again rather than used (a part PUT takes a while). */
const URL_MIN_REMAINING_MS = 2 * 60_000;

/**
 * Part URLs signed a batch at a time, ahead of the parts that need them, so a part rarely waits for the
 * API: the first part asks for itself and the next `batchSize − 1`, and once fewer than half a batch of
 * signed URLs is left unused the next batch is asked for while the parts upload. One per run of an
 * upload (its requests share the run's abort signal).
 */
export class SignAhead {
  private readonly signed = new Map<number, Promise<SignedPart>>();
  private readonly asked = new Set<number>();
  /** Index in `order` after the furthest part asked for. */
  private cursor = 0;

  constructor(
    private readonly transport: Pick<UploadTransport, 'signPart' | 'signParts'>,
    private readonly ref: UploadRef,
    /** The parts still to send, in the order they will be sent. */
    private readonly order: readonly number[],
    private readonly batchSize: number,
    private readonly signal: AbortSignal,
    private readonly now: () => number = Date.now,
  ) {}

  async take(partNumber: number): Promise<SignedPart> {
    if (!this.signed.has(partNumber)) this.askFrom(Math.max(this.order.indexOf(partNumber), 0), partNumber);
    const pending = this.signed.get(partNumber)!;
    this.signed.delete(partNumber);
    if (this.signed.size < this.batchSize / 2 && this.cursor < this.order.length) this.askFrom(this.cursor);
    const part = await pending;
    if (Date.parse(part.expiresAt) - this.now() >= URL_MIN_REMAINING_MS) return part;
    return this.transport.signPart(this.ref, partNumber, this.signal);
  }

  /** Asks for up to a batch of parts not asked for yet, from `order[index]` on (and `first`, when it is not in `order`). */
  private askFrom(index: number, first?: number): void {
    const batch: number[] = [];
    if (first !== undefined && !this.order.includes(first)) batch.push(first);
    for (let i = index; i < this.order.length && batch.length < this.batchSize; i++) {
      const partNumber = this.order[i]!;
      if (this.asked.has(partNumber)) continue;
      batch.push(partNumber);
      this.cursor = Math.max(this.cursor, i + 1);
    }
    if (batch.length === 0) return;
    const request = this.transport.signParts(this.ref, batch, this.signal);
    for (const partNumber of batch) {
      this.asked.add(partNumber);
      const part = request.then(({ presignedUrls, headers, expiresAt }) => {
        const url = presignedUrls[String(partNumber)];
        if (url === undefined) throw new Error(`The API signed no URL for part ${partNumber}.`);
        return { url, headers, expiresAt };
      });
      part.catch(() => undefined); // a batch cut short by pause(): its unused parts must not surface as unhandled
      this.signed.set(partNumber, part);
    }
  }
}

export interface MultipartUploadOptions {
  data: Blob;
  filename: string;
  type: string;
  /** Sent to the API's create (`size` is required there). */
  metadata: Record<string, unknown>;
  transport: UploadTransport;
  limiter: Limiter;
  /** An upload created earlier (before a reload): the parts already in the bucket are listed and not sent again. */
  resume?: UploadRef | undefined;
  partSize?: number;
  /** Part URLs asked for per request when signing ahead (default 8). */
  signBatchSize?: number;
  onCreated?: (ref: UploadRef) => void;
  onProgress?: (bytesUploaded: number, bytesTotal: number) => void;
}

export type RunOutcome = { status: 'complete'; result: UploadResult } | { status: 'stopped' };

/**
 * One file's direct-to-bucket multipart upload: create (or resume) through the API, then the parts in
 * parallel (bounded by the shared limiter; their URLs signed ahead in batches), each with its Content-MD5 so the bucket refuses bytes that
 * changed on the way, then complete. `pause()` stops it and `start()` goes on with the parts
 * still missing; `abort()` also discards the parts in the bucket.
 */
export class MultipartUpload {
  private ref: UploadRef | undefined;
  private listed: boolean;
  private readonly parts: PlannedPart[];
  private readonly done = new Map<number, string>();
  private readonly inFlight = new Map<number, number>();
  private controller: AbortController | null = null;
  /** pause() or abort() was called since the last start(). */
  private stopped = false;

  constructor(private readonly options: MultipartUploadOptions) {
    this.ref = options.resume;
    this.listed = options.resume === undefined;
    this.parts = planParts(options.data.size, options.partSize);
  }

  /** Runs until complete, or until `pause()`/`abort()` (then `{ status: 'stopped' }`); rejects on a real failure. */
  async start(): Promise<RunOutcome> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.stopped = false;
    const { signal } = controller;
    try {
      const ref = await this.ensureCreated(signal);
      this.report();
      const missing = this.parts.filter((part) => !this.done.has(part.partNumber));
      const urls = new SignAhead(
        this.options.transport,
        ref,
        missing.map((part) => part.partNumber),
        this.options.signBatchSize ?? 8,
        signal,
      );
      await Promise.all(missing.map((part) => this.options.limiter.run(() => this.sendPart(urls, part, signal)))).catch(
        (error: unknown) => {
          controller.abort(); // one part failed: stop the others
          throw error;
        },
      );
      const parts = this.parts.map((part) => ({ partNumber: part.partNumber, etag: this.done.get(part.partNumber)! }));
      const result = await this.options.transport.complete(ref, parts, signal);
      return { status: 'complete', result };
    } catch (error) {
      // Stopped on purpose (or superseded by a newer start()): whatever the requests in flight threw.
      if (this.stopped || this.controller !== controller) return { status: 'stopped' };
      throw error;
    }
  }

  pause(): void {
    this.stopped = true;
    this.controller?.abort();
    this.inFlight.clear();
  }

  abort(): void {
    this.pause();
    const ref = this.ref;
    this.ref = undefined;
    if (ref) void this.options.transport.abort(ref).catch(() => undefined);
  }

  private async ensureCreated(signal: AbortSignal): Promise<UploadRef> {
    const { transport, filename, type, metadata } = this.options;
    if (this.ref === undefined) {
      this.ref = await transport.create({ filename, type, metadata }, signal);
      this.options.onCreated?.(this.ref);
    }
    if (!this.listed) {
      // A part counts as stored only when it is the size this plan gives it; any other part is sent again.
      const sizes = new Map(this.parts.map((part) => [part.partNumber, part.end - part.start]));
      for (const stored of await transport.listParts(this.ref, signal)) {
        if (sizes.get(stored.partNumber) === stored.size) this.done.set(stored.partNumber, stored.etag);
      }
      this.listed = true;
    }
    return this.ref;
  }

  private async sendPart(urls: SignAhead, part: PlannedPart, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const body = this.options.data.slice(part.start, part.end);
    const [md5, { url, headers }] = await Promise.all([partChecksum(body), urls.take(part.partNumber)]);
    signal.throwIfAborted();
    // Content-MD5 is sent, not signed in: the bucket refuses a part whose bytes do not match it (BadDigest) either
    // way, and Ceph RGW 16 authenticates the CORS preflight of a URL that signs it (403, so browsers cannot use one).
    const etag = await this.options.transport.putPart(url, { ...headers, 'Content-MD5': md5 }, body, signal, (sent) => {
      if (signal.aborted) return;
      this.inFlight.set(part.partNumber, sent);
      this.report();
    });
    signal.throwIfAborted();
    this.inFlight.delete(part.partNumber);
    this.done.set(part.partNumber, etag);
    this.report();
  }

  private report(): void {
    let uploaded = 0;
    for (const part of this.parts)
      uploaded += this.done.has(part.partNumber) ? part.end - part.start : (this.inFlight.get(part.partNumber) ?? 0);
    this.options.onProgress?.(uploaded, this.options.data.size);
  }
}
