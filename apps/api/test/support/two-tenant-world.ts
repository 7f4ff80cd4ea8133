import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { PrismaClient, type Media, type MultipartUpload, type StorageTarget, type Tenant } from '@isola/database';
import { createMedia, createMembership, createStaff, createStorageTarget, createTenant, createUser } from '@isola/database/seed';
import type { AccessRule } from '../../src/common/auth/actor.js';

export type TenantKey = 'A' | 'B';

/** One studio of the world and the rows a caller might try to reach. */
export interface StudioFixture {
  key: TenantKey;
  tenant: Tenant;
  mode: 'hosted' | 'isolated';
  target: StorageTarget;
  /** A second, pending target (the "to" side of the migration). */
  spareTarget: StorageTarget;
  media: Media;
  upload: MultipartUpload;
  /** A live support grant. B's is a leftover from before it went isolated: it must never be honoured. */
  grantId: string;
  auditEventId: string;
  migrationId: string;
  /** Values only this studio's members and platform staff may see (ids and names of the studio). */
  identity: Map<string, string>;
  /** Values only this studio's members may see: ids of its media, uploads, grants, log rows; object keys. */
  secrets: Map<string, string>;
}

export type CallerName = 'anonymous' | 'memberA' | 'adminA' | 'memberB' | 'adminB' | 'support' | 'staffAdmin';

export interface Caller {
  name: CallerName;
  userId: string | null;
  /** The studio the caller's session acts for. */
  tenant: TenantKey | null;
  staff: boolean;
  /**
   * The @Access rules this caller satisfies, written out by hand (not derived from the guard's own
   * `satisfies`, so a bug there cannot hide from the matrix).
   */
  satisfies: ReadonlySet<AccessRule>;
}

export interface TwoTenantWorld {
  studios: Record<TenantKey, StudioFixture>;
  callers: Caller[];
}

const SIGNED_IN: AccessRule[] = ['public', 'authenticated'];

/**
 * Two studios side by side — A hosted (platform bucket, a live support grant), B isolated (its own
 * bucket) — each with a member, an admin, a media row, an open multipart upload, a support grant, a
 * second target, a migration and an audit row; plus a support engineer and a platform admin. Built
 * with the database factories only: no bucket exists, so routes that reach storage fail with their
 * own 4xx/5xx, which is fine for authorization checks.
 */
export async function createTwoTenantWorld(app: INestApplication): Promise<TwoTenantWorld> {
  const prisma = app.get(PrismaClient);
  const member = new Set<AccessRule>([...SIGNED_IN, 'tenant-member']);
  const admin = new Set<AccessRule>([...SIGNED_IN, 'tenant-member', 'tenant-admin']);
  const callers: Caller[] = [{ name: 'anonymous', userId: null, tenant: null, staff: false, satisfies: new Set<AccessRule>(['public']) }];

  const studio = async (key: TenantKey, mode: 'hosted' | 'isolated'): Promise<StudioFixture> => {
    const tenant = await createTenant(prisma);
    const target = await createStorageTarget(
      prisma,
      { tenantId: tenant.id, mode, ...(mode === 'isolated' ? { bucket: `studio-${randomBytes(4).toString('hex')}` } : {}) },
      { activate: true },
    );
    const spareTarget = await createStorageTarget(prisma, { tenantId: tenant.id, mode });
    const secrets = new Map<string, string>();
    const person = async (role: 'member' | 'admin') => {
      const user = await createUser(prisma);
      await createMembership(prisma, { userId: user.id, tenantId: tenant.id, role });
      secrets.set(user.email, `${role} of ${key} email`);
      callers.push({ name: `${role}${key}`, userId: user.id, tenant: key, staff: false, satisfies: role === 'admin' ? admin : member });
      return user;
    };
    // the member uploaded the media (routes that look uploads up per user find it for them)
    const uploader = await person('member');
    const tenantAdmin = await person('admin');
    const media = await createMedia(prisma, {
      tenantId: tenant.id,
      storageTargetId: target.id,
      status: 'uploading',
      createdById: uploader.id,
    });
    const upload = await prisma.multipartUpload.create({
      data: {
        mediaId: media.id,
        tenantId: tenant.id,
        userId: uploader.id,
        storageTargetId: target.id,
        uploadId: `fixture-upload-${randomBytes(8).toString('hex')}`,
        objectKey: media.objectKey,
        declaredSize: media.sizeBytes,
      },
    });
    const now = new Date();
    const grant = await prisma.supportGrant.create({
      data: {
        tenantId: tenant.id,
        grantedById: tenantAdmin.id,
        reason: 'fixture',
        createdAt: now,
        expiresAt: new Date(now.getTime() + 3_600_000),
      },
    });
    const auditEvent = await prisma.auditEvent.create({
      data: {
        tenantId: tenant.id,
        actorUserId: uploader.id,
        actorKind: 'user',
        action: 'upload.create',
        purpose: 'upload',
        storageTargetId: target.id,
        objectKeys: [media.objectKey],
      },
    });
    const migration = await prisma.migration.create({
      data: { tenantId: tenant.id, fromTargetId: target.id, toTargetId: spareTarget.id },
    });
    for (const [value, label] of [
      [media.id, `media ${key} id`],
      [media.objectKey, `object key ${key}`],
      [media.filename, `media ${key} filename`],
      [upload.id, `upload ${key} row id`],
      [upload.uploadId, `upload ${key} S3 UploadId`],
      [grant.id, `grant ${key} id`],
      [auditEvent.id, `audit row ${key} id`],
      [migration.id, `migration ${key} id`],
      ...(mode === 'isolated' ? [[target.bucket, `bucket ${key}`]] : []),
    ] as const) {
      secrets.set(value, label);
    }
    return {
      key,
      tenant,
      mode,
      target,
      spareTarget,
      media,
      upload,
      grantId: grant.id,
      auditEventId: auditEvent.id,
      migrationId: migration.id,
      identity: new Map([
        [tenant.id, `tenant ${key} id`],
        [tenant.slug, `tenant ${key} slug`],
      ]),
      secrets,
    };
  };
  const studios = { A: await studio('A', 'hosted'), B: await studio('B', 'isolated') };

  for (const role of ['support', 'admin'] as const) {
    const user = await createUser(prisma);
    await createStaff(prisma, { userId: user.id, role });
    callers.push({
      name: role === 'support' ? 'support' : 'staffAdmin',
      userId: user.id,
      tenant: null,
      staff: true,
      satisfies: new Set<AccessRule>([...SIGNED_IN, 'staff', ...(role === 'admin' ? (['staff-admin'] as const) : [])]),
    });
  }
  return { studios, callers };
}

/**
 * The value to put in a path parameter so the request names one of `studio`'s rows: chosen by the
 * parameter's name or the path segment before it (`/media/:id` → the media id). Unknown parameters get
 * a random uuid (the route is still checked for 401/403; `known: false` says so in the table).
 */
export function paramValue(studio: StudioFixture, name: string, previousSegment: string): { value: string; known: boolean } {
  const by: Record<string, string> = {
    media: studio.media.id,
    mediaId: studio.media.id,
    multipart: studio.upload.uploadId,
    uploadId: studio.upload.uploadId,
    uploads: studio.upload.id,
    'support-grants': studio.grantId,
    grantId: studio.grantId,
    targets: studio.target.id,
    targetId: studio.target.id,
    migrations: studio.migrationId,
    migrationId: studio.migrationId,
    audit: studio.auditEventId,
    tenants: studio.tenant.id,
    tenantId: studio.tenant.id,
    partNumber: '1',
  };
  const value = by[name] ?? by[previousSegment];
  return value === undefined ? { value: randomUUID(), known: false } : { value, known: true };
}
