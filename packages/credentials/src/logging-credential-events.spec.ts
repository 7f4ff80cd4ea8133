import { StorageError, StorageErrorCode, type StorageTargetRef } from '@isola/tenant-storage';
import { LoggingCredentialEvents } from './logging-credential-events.js';

const target: StorageTargetRef = {
  id: 'target-1',
  tenantId: 'tenant-1',
  mode: 'isolated',
  provider: 's3_compatible',
  endpoint: 'http://127.0.0.1:7480',
  region: 'us-east-1',
  bucket: 'studio',
  prefix: '',
  roleArn: 'arn:aws:iam:::role/studio',
  externalId: 'e'.repeat(32),
};

describe('LoggingCredentialEvents', () => {
  it('logs what happened, by level, naming the target and never a key or an ExternalId', () => {
    const lines: Array<[string, object]> = [];
    const events = new LoggingCredentialEvents({
      debug: (m) => lines.push(['debug', m]),
      log: (m) => lines.push(['log', m]),
      warn: (m) => lines.push(['warn', m]),
    });
    events.onIssued({
      target,
      scope: { purpose: 'link' },
      sessionName: 'isola-link-t-1',
      expiresAt: new Date('2026-01-01T00:15:00Z'),
      policyKeys: ['media/*'],
      context: { correlationId: 'c-1' },
    });
    events.onRevocationConfirmed({ target, error: new StorageError(StorageErrorCode.STORAGE_ACCESS_REVOKED, 'gone'), context: {} });
    events.onAccessRestored({ target, context: {} });
    expect(lines).toEqual([
      [
        'debug',
        {
          msg: 'credential issued',
          purpose: 'link',
          sessionName: 'isola-link-t-1',
          targetId: 'target-1',
          expiresAt: '2026-01-01T00:15:00.000Z',
          correlationId: 'c-1',
        },
      ],
      ['warn', { msg: 'storage access revoked', targetId: 'target-1', tenantId: 'tenant-1', code: 'STORAGE_ACCESS_REVOKED' }],
      ['log', { msg: 'storage access restored', targetId: 'target-1', tenantId: 'tenant-1' }],
    ]);
    expect(JSON.stringify(lines)).not.toContain('e'.repeat(32));
  });
});
