import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@isola/database';
import {
  MembersAuditAction,
  type AddMemberRequest,
  type ChangeMemberRoleRequest,
  type MemberDto,
  type MemberListResponse,
  type MembershipRoleName,
} from '@isola/contracts';
import type { Actor } from '../../common/auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestOrigin } from '../auth/auth.service.js';
import { MembersException } from './members.exception.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type MembershipWithUser = Prisma.MembershipGetPayload<{ include: { user: true } }>;

const toDto = (m: MembershipWithUser): MemberDto => ({
  userId: m.userId,
  email: m.user.email,
  displayName: m.user.displayName,
  role: m.role,
  since: m.createdAt.toISOString(),
});

/**
 * A studio admin manages who belongs to the studio and as what. Every change is audited; a change that
 * would leave the studio without an admin is refused, checked under a lock on the studio's
 * memberships so two admins demoting each other at once cannot both succeed.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
  ) {}

  async list(tenantId: string): Promise<MemberListResponse> {
    const rows = await this.prisma.membership.findMany({
      where: { tenantId },
      include: { user: true },
      orderBy: [{ role: 'desc' }, { createdAt: 'asc' }],
    });
    return { items: rows.map(toDto) };
  }

  async add(actor: Actor, tenantId: string, input: Required<AddMemberRequest>, origin: RequestOrigin): Promise<MemberDto> {
    const user = await this.prisma.user.findUnique({ where: { email: input.email } });
    if (user === null) throw MembersException.userNotFound();
    try {
      return await this.prisma.$transaction(async (tx) => {
        const created = await tx.membership.create({ data: { userId: user.id, tenantId, role: input.role }, include: { user: true } });
        await this.record(tx, actor, tenantId, MembersAuditAction.Added, origin, { userId: user.id, role: input.role });
        return toDto(created);
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw MembersException.alreadyMember();
      throw error;
    }
  }

  async changeRole(
    actor: Actor,
    tenantId: string,
    userId: string,
    input: ChangeMemberRoleRequest,
    origin: RequestOrigin,
  ): Promise<MemberDto> {
    return this.underLock(tenantId, userId, async (tx, current, admins) => {
      if (current.role === input.role) return toDto(current);
      if (current.role === 'admin' && admins <= 1) throw MembersException.lastAdmin();
      const updated = await tx.membership.update({ where: { id: current.id }, data: { role: input.role }, include: { user: true } });
      await this.record(tx, actor, tenantId, MembersAuditAction.RoleChanged, origin, { userId, from: current.role, to: input.role });
      return toDto(updated);
    });
  }

  async remove(actor: Actor, tenantId: string, userId: string, origin: RequestOrigin): Promise<void> {
    await this.underLock(tenantId, userId, async (tx, current, admins) => {
      if (current.role === 'admin' && admins <= 1) throw MembersException.lastAdmin();
      await tx.membership.delete({ where: { id: current.id } });
      // their sessions acting for this studio end now (the next request is signed out of it)
      await tx.session.deleteMany({ where: { userId, tenantId } });
      await this.record(tx, actor, tenantId, MembersAuditAction.Removed, origin, { userId, role: current.role });
    });
  }

  private async underLock<T>(
    tenantId: string,
    userId: string,
    change: (tx: Prisma.TransactionClient, current: MembershipWithUser, admins: number) => Promise<T>,
  ): Promise<T> {
    if (!UUID.test(userId)) throw MembersException.memberNotFound();
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ user_id: string; role: MembershipRoleName }[]>`
        SELECT user_id::text, role::text FROM memberships WHERE tenant_id = ${tenantId}::uuid FOR UPDATE`;
      const current = await tx.membership.findUnique({ where: { userId_tenantId: { userId, tenantId } }, include: { user: true } });
      if (current === null) throw MembersException.memberNotFound();
      return change(tx, current, locked.filter((m) => m.role === 'admin').length);
    });
  }

  private record(
    tx: Prisma.TransactionClient,
    actor: Actor,
    tenantId: string,
    action: string,
    origin: RequestOrigin,
    details: Prisma.InputJsonValue,
  ): Promise<void> {
    return this.audit.record({ tenantId, action, actor, ip: origin.ip, userAgent: origin.userAgent, details }, tx);
  }
}
