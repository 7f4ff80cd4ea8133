import type { MediaDto, MediaLinksResponse, MeResponse } from '@isola/contracts';

let counter = 0;
/** A distinct UUID per call (v4-shaped, deterministic). */
export function uuid(): string {
  counter++;
  return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

export function aMe(overrides: Partial<MeResponse> = {}): MeResponse {
  return {
    user: { id: uuid(), email: 'admin@northwind.test', displayName: 'Ada Admin' },
    tenant: { id: uuid(), slug: 'northwind', name: 'Northwind Studio' },
    role: 'admin',
    staffRole: null,
    ...overrides,
  };
}

export function aMember(): MeResponse {
  return aMe({ role: 'member', user: { id: uuid(), email: 'member@northwind.test', displayName: 'Max Member' } });
}

export function aMedia(overrides: Partial<MediaDto> = {}): MediaDto {
  return {
    id: uuid(),
    filename: 'clip.mov',
    kind: 'video',
    status: 'ready',
    progress: 100,
    failureReason: null,
    sizeBytes: 52_428_800,
    contentType: 'video/quicktime',
    sha256: null,
    durationMs: 83_000,
    width: 1920,
    height: 1080,
    storageTargetId: uuid(),
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:05:00.000Z',
    renditions: [],
    ...overrides,
  };
}

export function aRendition(kind: MediaDto['renditions'][number]['kind']): MediaDto['renditions'][number] {
  return { kind, sizeBytes: 1000, contentType: 'image/jpeg', width: 320, height: 180, durationMs: null, codec: null };
}

/** Links for `kinds`, expiring at `expiresAt`; URLs carry `tag` so a test can tell two answers apart. */
export function someLinks(
  mediaId: string,
  kinds: Array<keyof MediaLinksResponse['renditions']>,
  { expiresAt = new Date(Date.now() + 15 * 60_000).toISOString(), tag = 'v1' } = {},
): MediaLinksResponse {
  const link = (name: string) => ({ url: `https://bucket.test/${mediaId}/${name}?sig=${tag}`, expiresAt });
  return { source: link('source'), renditions: Object.fromEntries(kinds.map((k) => [k, link(k)])) };
}
