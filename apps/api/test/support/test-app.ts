import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaClient } from '@isola/database';
import { createMembership, createStaff, createTenant, createUser } from '@isola/database/seed';
import { createApiApp } from '../../src/app.factory.js';
import { PasswordHasher } from '../../src/modules/auth/password-hasher.js';
import { testApiConfig } from './test-config.js';

export const WEB_ORIGIN = 'http://localhost:5173';
export const TEST_PASSWORD = 'correct horse battery staple';

/** The API exactly as production builds it, on the test database, Redis DB and a unique prefix. */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<INestApplication> {
  const app = await createApiApp(testApiConfig(overrides));
  await app.init();
  return app;
}

export interface TestUser {
  id: string;
  email: string;
  tenantId: string | null;
}

/** Creates a user (with a real argon2id hash of TEST_PASSWORD) as a member/admin of a tenant, or as staff. */
export async function createTestUser(
  app: INestApplication,
  as: { tenantId?: string; role?: 'member' | 'admin'; staff?: 'support' | 'admin' } = {},
): Promise<TestUser> {
  const prisma = app.get(PrismaClient);
  const passwordHash = await app.get(PasswordHasher).hash(TEST_PASSWORD);
  const user = await createUser(prisma, { passwordHash });
  if (as.tenantId) await createMembership(prisma, { userId: user.id, tenantId: as.tenantId, role: as.role ?? 'member' });
  if (as.staff) await createStaff(prisma, { userId: user.id, role: as.staff });
  return { id: user.id, email: user.email, tenantId: as.tenantId ?? null };
}

export async function createTestTenant(app: INestApplication) {
  return createTenant(app.get(PrismaClient));
}

/** Signs in and returns the session cookie to send back. */
export async function login(app: INestApplication, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await request(app.getHttpServer()).post('/api/auth/login').set('origin', WEB_ORIGIN).send({ email, password }).expect(200);
  const cookie = [res.headers['set-cookie']].flat()[0];
  if (!cookie) throw new Error('login set no cookie');
  return cookie.split(';')[0]!;
}
