import { createHash, randomBytes } from 'node:crypto';
import type { Server, Socket } from 'node:net';
import AwsS3 from '@uppy/aws-s3';
import Uppy from '@uppy/core';
import XHR2 from 'xhr2';

/**
 * Runs the real Uppy client (@uppy/core + @uppy/aws-s3 in Companion mode) in Node:
 * - parts are PUT with XMLHttpRequest, absent in Node: `xhr2` stands in, taught to send the Blob
 *   slices Uppy hands it, and counting each part PUT it sends;
 * - Uppy calls the Companion routes with the global `fetch`, which in a browser carries the session
 *   cookie and Origin of the web app: a wrapper adds both for requests to the API, and records them.
 */
export interface UppyNodeHarness {
  /** Part PUTs sent to the bucket, by part number, in order. */
  readonly partPuts: number[];
  /** `METHOD /path` of every API request Uppy made. */
  readonly apiCalls: string[];
  restore(): void;
}

export function installUppyNodeGlobals(apiOrigin: string, session: { cookie: string; origin: string }): UppyNodeHarness {
  const partPuts: number[] = [];
  const apiCalls: string[] = [];

  class NodeXMLHttpRequest extends XHR2 {
    private target: { method: string; url: string } | undefined;

    override open(method: string, url: string, async?: boolean): void {
      this.target = { method: method.toUpperCase(), url };
      super.open(method, url, async);
    }

    override send(body?: unknown): void {
      const partNumber = this.target?.method === 'PUT' ? new URL(this.target.url).searchParams.get('partNumber') : null;
      if (partNumber !== null) partPuts.push(Number(partNumber));
      if (body instanceof Blob) {
        body.arrayBuffer().then(
          (bytes) => super.send(Buffer.from(bytes)),
          () => super.send(''),
        );
        return;
      }
      super.send(body);
    }
  }

  const realFetch = globalThis.fetch;
  const realXhr = (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest;
  (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = NodeXMLHttpRequest;
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(apiOrigin)) return realFetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set('cookie', session.cookie);
    headers.set('origin', session.origin);
    apiCalls.push(`${(init?.method ?? 'GET').toUpperCase()} ${new URL(url).pathname}`);
    return realFetch(input, { ...init, headers });
  };

  return {
    partPuts,
    apiCalls,
    restore() {
      globalThis.fetch = realFetch;
      (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = realXhr;
    },
  };
}

export interface NodeUppy {
  uppy: Uppy;
  fileId: string;
}

/** An Uppy with the S3 plugin in Companion mode against `apiOrigin` + `/api`, multipart always, and one file added. */
export function createNodeUppy(
  apiOrigin: string,
  file: { name: string; type: string; data: Blob; meta: Record<string, unknown> },
  resume?: { uploadId: string; key: string },
): NodeUppy {
  const uppy = new Uppy({ autoProceed: false });
  uppy.use(AwsS3, { companionEndpoint: `${apiOrigin}/api`, shouldUseMultipart: true, limit: 1 });
  const fileId = uppy.addFile({ name: file.name, type: file.type, data: file.data, meta: file.meta });
  // What Golden Retriever restores after a page reload: the S3 upload to carry on with.
  if (resume !== undefined) uppy.setFileState(fileId, { s3Multipart: resume } as never);
  return { uppy, fileId };
}

/** Random bytes as a Blob, hashed (SHA-256, hex) while generated. */
export function randomBlob(bytes: number, chunkBytes = 4 * 1024 * 1024): { blob: Blob; sha256: string } {
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  for (let done = 0; done < bytes; done += chunkBytes) {
    const chunk = randomBytes(Math.min(chunkBytes, bytes - done));
    hash.update(chunk);
    chunks.push(chunk);
  }
  return { blob: new Blob(chunks as BlobPart[]), sha256: hash.digest('hex') };
}

/**
 * Bytes the server read from its sockets while `measuring` (request lines, headers and bodies:
 * everything a client sent). Counts sockets opened before the measurement from where they were.
 */
export function socketBytesMeter(server: Server): { start(): void; stop(): number; dispose(): void } {
  const sockets = new Set<Socket>();
  const baseline = new Map<Socket, number>();
  let closedBytes = 0;
  let measuring = false;
  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    baseline.set(socket, 0);
    socket.once('close', () => {
      if (measuring) closedBytes += socket.bytesRead - (baseline.get(socket) ?? 0);
      sockets.delete(socket);
      baseline.delete(socket);
    });
  };
  server.on('connection', onConnection);
  return {
    start() {
      for (const socket of sockets) baseline.set(socket, socket.bytesRead);
      closedBytes = 0;
      measuring = true;
    },
    stop() {
      measuring = false;
      let total = closedBytes;
      for (const socket of sockets) total += socket.bytesRead - (baseline.get(socket) ?? 0);
      return total;
    },
    dispose() {
      server.off('connection', onConnection);
    },
  };
}
