import { awsErrorInfoFrom, s3Location, storageErrorFromAws, type StorageTargetRef, type TemporaryCredentials } from '@isola/tenant-storage';
import { BucketInspector, type BucketReads, type CorsPreflightAnswer, type CorsPreflightRequest } from './bucket-inspector.port.js';
import { s3Sdk } from './s3-sdk.js';

export interface S3BucketInspectorOptions {
  /** Path-style addressing per target (the API's ObjectStoreFactory decides the same way). */
  forcePathStyle: (target: StorageTargetRef) => boolean;
  /** Per request, for the connection and the answer (default 10 s). */
  requestTimeoutMs?: number;
}

// "Nothing configured" answers: a fact the connection test reports, not a failure of the call.
const NO_POLICY = new Set(['NoSuchBucketPolicy']);
const NO_ENCRYPTION = new Set(['ServerSideEncryptionConfigurationNotFoundError']);

/**
 * `BucketInspector` over the AWS SDK (AWS S3 or an S3-compatible service such as Ceph RGW). One SDK
 * client per `open()` (one connection test), closed by the caller; the preflight is a plain
 * `fetch` without credentials, exactly what a browser sends before a cross-origin PUT.
 */
export class S3BucketInspector extends BucketInspector {
  private readonly timeoutMs: number;

  constructor(private readonly options: S3BucketInspectorOptions) {
    super();
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  open(target: StorageTargetRef, credentials: TemporaryCredentials): BucketReads {
    const sdk = s3Sdk();
    const location = s3Location(target, this.options.forcePathStyle(target));
    const client = new sdk.S3Client({
      region: target.region,
      ...(location.clientEndpoint === undefined ? {} : { endpoint: location.clientEndpoint }),
      forcePathStyle: location.forcePathStyle,
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: credentials.expiresAt,
      },
      // Ceph RGW 16 refuses aws-chunked checksum trailers (411); harmless for these reads.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 2,
      requestHandler: { connectionTimeout: this.timeoutMs, requestTimeout: this.timeoutMs },
    });
    const Bucket = target.bucket;

    const call = async (
      operation: string,
      command: object,
      notConfigured?: ReadonlySet<string>,
    ): Promise<Record<string, unknown> | null> => {
      try {
        return (await client.send(command as Parameters<typeof client.send>[0])) as unknown as Record<string, unknown>;
      } catch (error) {
        const info = awsErrorInfoFrom(error, 's3', operation);
        if (notConfigured !== undefined && [info.name, info.code].some((code) => code !== undefined && notConfigured.has(code))) {
          return null;
        }
        throw storageErrorFromAws(info, { targetId: target.id, bucket: target.bucket }, error);
      }
    };

    return {
      async location() {
        const output = await call('GetBucketLocation', new sdk.GetBucketLocationCommand({ Bucket }));
        const constraint = output?.['LocationConstraint'];
        return typeof constraint === 'string' ? constraint : '';
      },
      async encryption() {
        const output = await call('GetBucketEncryption', new sdk.GetBucketEncryptionCommand({ Bucket }), NO_ENCRYPTION);
        return encryptionAlgorithms(output);
      },
      async policy() {
        const output = await call('GetBucketPolicy', new sdk.GetBucketPolicyCommand({ Bucket }), NO_POLICY);
        const policy = output?.['Policy'];
        return typeof policy === 'string' && policy !== '' ? policy : null;
      },
      close() {
        client.destroy();
      },
    };
  }

  async corsPreflight(target: StorageTargetRef, request: CorsPreflightRequest): Promise<CorsPreflightAnswer> {
    const location = s3Location(target, this.options.forcePathStyle(target));
    const url = `${location.protocol}//${location.host}${location.basePath || '/'}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'OPTIONS',
        headers: { Origin: request.origin, 'Access-Control-Request-Method': request.method },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.arrayBuffer();
    } catch (error) {
      throw storageErrorFromAws(awsErrorInfoFrom(error, 's3', 'CorsPreflight'), { targetId: target.id, bucket: target.bucket }, error);
    }
    return {
      url,
      status: response.status,
      allowOrigin: response.headers.get('access-control-allow-origin'),
      allowMethods: headerList(response.headers.get('access-control-allow-methods')),
      exposeHeaders: headerList(response.headers.get('access-control-expose-headers')),
    };
  }
}

function encryptionAlgorithms(output: Record<string, unknown> | null): string[] {
  const configuration = output?.['ServerSideEncryptionConfiguration'] as
    { Rules?: { ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string } }[] } | undefined;
  return (configuration?.Rules ?? []).flatMap((rule) => {
    const algorithm = rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
    return algorithm ? [algorithm] : [];
  });
}

function headerList(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
