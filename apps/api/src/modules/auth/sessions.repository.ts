import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@isola/database';
import type { Actor } from '../../common/auth/actor.js';

/** Only a hash of the token is stored: a database leak does not hand out live sessions. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface UserForLogin {
  id: string;
  passwordHash: string;
}

/** The queries of sign-in and sessions. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findUserByEmail(email: string): Promise<UserForLogin | null> {
    return this.prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  }

  /** Creates a session acting for the user's first studio (oldest membership); returns its token. */
  async create(userId: string, expiresAt: Date): Promise<{ token: string; sessionId: string }> {
    const membership = await this.prisma.membership.findFirst({ where: { userId }, orderBy: { createdAt: 'asc' } });
    const token = randomBytes(32).toString('base64url');
    const session = await this.prisma.session.create({
      data: { userId, tenantId: membership?.tenantId ?? null, tokenHash: hashToken(token), expiresAt },
      select: { id: true },
    });
    return { token, sessionId: session.id };
  }

  /** The actor behind a live session token, or null (unknown, expired). */
  async findActor(token: string, now: Date): Promise<Actor | null> {
    const session = await this.prisma.session.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { user: { include: { staff: true, memberships: true } }, tenant: true },
    });
    if (!session || session.expiresAt <= now) return null;
    const membership = session.tenant ? session.user.memberships.find((m) => m.tenantId === session.tenantId) : undefined;
    return {
      userId: session.user.id,
      email: session.user.email,
      displayName: session.user.displayName,
      sessionId: session.id,
      tenant:
        session.tenant && membership
          ? { id: session.tenant.id, slug: session.tenant.slug, name: session.tenant.name, role: membership.role }
          : null,
      staffRole: session.user.staff?.role ?? null,
    };
  }

  async delete(sessionId: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id: sessionId } });
  }
}
