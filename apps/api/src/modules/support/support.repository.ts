import { Injectable } from '@nestjs/common';
import { PrismaClient, type Prisma } from '@isola/database';
import type { TargetModeAndStatus } from './classify-tenant-storage.js';

const userRef = { select: { id: true, email: true } } as const;
const grantWithPeople = { grantedBy: userRef, revokedBy: userRef } as const;

export type SupportGrantRow = Prisma.SupportGrantGetPayload<{ include: typeof grantWithPeople }>;

type Db = PrismaClient | Prisma.TransactionClient;

/** Queries of the support feature: tenants' storage modes and support grants. */
@Injectable()
export class SupportRepository {
  constructor(private readonly prisma: PrismaClient) {}

  transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  /** Every storage target of the tenant (mode and status only). */
  targetsOf(tenantId: string, db: Db = this.prisma): Promise<Array<TargetModeAndStatus & { id: string }>> {
    return db.storageTarget.findMany({ where: { tenantId }, select: { id: true, mode: true, status: true } });
  }

  /** The live grant of a tenant lasting longest, or null. */
  liveGrant(tenantId: string, now: Date): Promise<{ id: string; expiresAt: Date } | null> {
    return this.prisma.supportGrant.findFirst({
      where: { tenantId, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { expiresAt: 'desc' },
      select: { id: true, expiresAt: true },
    });
  }

  createGrant(
    db: Db,
    data: { tenantId: string; grantedById: string; reason: string; createdAt: Date; expiresAt: Date },
  ): Promise<SupportGrantRow> {
    return db.supportGrant.create({ data, include: grantWithPeople });
  }

  listGrants(tenantId: string, take: number): Promise<SupportGrantRow[]> {
    return this.prisma.supportGrant.findMany({
      where: { tenantId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      include: grantWithPeople,
    });
  }

  findGrant(tenantId: string, id: string, db: Db = this.prisma): Promise<SupportGrantRow | null> {
    return db.supportGrant.findFirst({ where: { id, tenantId }, include: grantWithPeople });
  }

  /** Revokes a grant that is not revoked yet; false when someone else got there first. */
  async revokeGrant(db: Db, tenantId: string, id: string, revokedById: string, now: Date): Promise<boolean> {
    const { count } = await db.supportGrant.updateMany({
      where: { id, tenantId, revokedAt: null },
      data: { revokedAt: now, revokedById },
    });
    return count === 1;
  }

  /** One page of tenants ordered by slug, with what the staff overview shows (never media). */
  tenantsPage(opts: { q: string | null; afterSlug: string | null; take: number; now: Date }) {
    const where: Prisma.TenantWhereInput[] = [];
    if (opts.q) {
      where.push({ OR: [{ slug: { contains: opts.q, mode: 'insensitive' } }, { name: { contains: opts.q, mode: 'insensitive' } }] });
    }
    if (opts.afterSlug !== null) where.push({ slug: { gt: opts.afterSlug } });
    return this.prisma.tenant.findMany({
      where: { AND: where },
      orderBy: { slug: 'asc' },
      take: opts.take,
      select: {
        id: true,
        slug: true,
        name: true,
        createdAt: true,
        activeTarget: {
          select: { id: true, mode: true, provider: true, region: true, status: true, lastCheckAt: true, revokedAt: true },
        },
        storageTargets: { select: { mode: true, status: true } },
        supportGrants: {
          where: { revokedAt: null, expiresAt: { gt: opts.now } },
          orderBy: { expiresAt: 'desc' },
          take: 1,
          select: { expiresAt: true },
        },
      },
    });
  }
}
