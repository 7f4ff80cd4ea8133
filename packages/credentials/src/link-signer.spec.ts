import { ManualClock } from '@isola/runtime';
import { S3ObjectStoreFactory, renditionKey, sourceKey, type StorageTargetRef } from '@isola/tenant-storage';

import { LinkSigner } from './link-signer.js';
import { StsCredentialBroker } from './sts-credential-broker.js';
import { InMemoryStsGateway } from './testing/in-memory-sts-gateway.js';
import { RecordingCredentialEvents } from './testing/recording-credential-events.js';

const target: StorageTargetRef = {
  id: 'target-1',
  tenantId: 'tenant-1',
  mode: 'hosted',
  provider: 's3_compatible',
  endpoint: 'http://127.0.0.1:7480',
  region: 'us-east-1',
  bucket: 'isola-hosted',
  prefix: 'tenants/a',
  roleArn: 'arn:aws:iam:::role/isola-hosted-access',
  externalId: 'ext-1',
};

function setup(linkLifetimeSeconds = 900) {
  const clock = new ManualClock(new Date('2030-01-01T12:00:00Z'));
  const sts = new InMemoryStsGateway(clock);
  const broker = new StsCredentialBroker(sts, clock, new RecordingCredentialEvents(), { linkLifetimeSeconds });
  const stores = new S3ObjectStoreFactory({ clock });
  return { clock, sts, stores, links: new LinkSigner(broker, stores, clock, { linkLifetimeSeconds }) };
}

describe('LinkSigner', () => {
  it('signs one URL per object with one cached credential and one store', async () => {
    const { sts, stores, links } = setup();
    const signed = [];
    for (let i = 0; i < 1000; i += 1) {
      signed.push(await links.signLink(target, { key: sourceKey('tenants/a', `m${i}`, 'clip.mp4') }));
    }
    expect(sts.calls).toHaveLength(1);
    expect(stores.size).toBe(1);
    expect(new Set(signed.map((link) => link.url)).size).toBe(1000);
    expect(signed[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:7480\/isola-hosted\/tenants\/a\/media\/m0\/source\/clip\.mp4\?/);
    expect(signed[0]?.expiresAt).toEqual(new Date('2030-01-01T12:15:00Z'));
  });

  it('gives links their full lifetime until the credential is refreshed, never beyond it', async () => {
    const { sts, clock, links } = setup();
    const key = renditionKey('tenants/a', 'm1', '720p.mp4');
    const first = await links.signLink(target, { key });
    clock.advance(44 * 60_000); // 16 min left on the 1 h credential
    const late = await links.signLink(target, { key });
    expect(late.expiresAt.getTime() - clock.now().getTime()).toBe(900_000);
    expect(new URL(late.url).searchParams.get('X-Amz-Credential')).toBe(new URL(first.url).searchParams.get('X-Amz-Credential'));
    clock.advance(1_000); // under 16 min: a fresh credential signs
    const refreshed = await links.signLink(target, { key });
    expect(sts.calls).toHaveLength(2);
    expect(new URL(refreshed.url).searchParams.get('X-Amz-Credential')).toMatch(/^ASIAFAKE2\//);
  });

  it('caps the lifetime at the credential remaining − 1 min when configured longer', async () => {
    const { clock, links } = setup(3600);
    const link = await links.signLink(target, { key: sourceKey('tenants/a', 'm1', 'a.mp4') });
    expect(link.expiresAt.getTime() - clock.now().getTime()).toBe(3540_000);
  });

  it('signs several links with one lookup, with download names', async () => {
    const { links } = setup();
    const [source, rendition] = await links.signLinks(target, [
      { key: sourceKey('tenants/a', 'm1', 'Café.mov'), filename: 'Café.mov' },
      { key: renditionKey('tenants/a', 'm1', '720p.mp4'), disposition: 'inline' },
    ]);
    expect(new URL(source?.url ?? '').searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="Caf_.mov"; filename*=UTF-8''Caf%C3%A9.mov`,
    );
    expect(new URL(rendition?.url ?? '').searchParams.get('response-content-disposition')).toBe('inline');
  });

  it("refuses keys outside the tenant's media prefix", async () => {
    const { sts, links } = setup();
    await expect(links.signLink(target, { key: 'tenants/b/media/m1/source/a.mp4' })).rejects.toThrow(RangeError);
    await expect(links.signLink(target, { key: 'tenants/a/.isola-probe/x' })).rejects.toThrow(RangeError);
    expect(sts.calls).toHaveLength(0);
  });
});
