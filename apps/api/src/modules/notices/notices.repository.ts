import { Injectable } from '@nestjs/common';
import { PrismaClient, type Notice, type Prisma } from '@isola/database';
import type { NoticeCursor } from './notice-cursor.js';

const NEWEST_FIRST = [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.NoticeOrderByWithRelationInput[];

/** Prisma queries of the notices feature. Every query is scoped by tenant. */
@Injectable()
export class NoticesRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Up to `take` notices after `after`: undismissed ones first, then dismissed; newest first within each. */
  async page(tenantId: string, after: NoticeCursor | undefined, take: number): Promise<Notice[]> {
    const open =
      after?.dismissed === true
        ? []
        : await this.prisma.notice.findMany({
            where: { tenantId, dismissedAt: null, ...olderThan(after) },
            orderBy: NEWEST_FIRST,
            take,
          });
    if (open.length >= take) return open;
    const dismissed = await this.prisma.notice.findMany({
      where: { tenantId, dismissedAt: { not: null }, ...(after?.dismissed === true ? olderThan(after) : {}) },
      orderBy: NEWEST_FIRST,
      take: take - open.length,
    });
    return [...open, ...dismissed];
  }

  countUndismissed(tenantId: string): Promise<number> {
    return this.prisma.notice.count({ where: { tenantId, dismissedAt: null } });
  }

  /** Dismisses the tenant's notice (a second dismissal keeps the first time); null when it is not the tenant's. */
  async dismiss(tenantId: string, id: string, at: Date): Promise<Notice | null> {
    await this.prisma.notice.updateMany({ where: { id, tenantId, dismissedAt: null }, data: { dismissedAt: at } });
    return this.prisma.notice.findFirst({ where: { id, tenantId } });
  }
}

function olderThan(after: NoticeCursor | undefined): Prisma.NoticeWhereInput {
  if (after === undefined) return {};
  return { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] };
}
