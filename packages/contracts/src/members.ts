import { z } from 'zod';

/** A studio's members and their roles (GET/POST /api/tenant/members, PATCH/DELETE /api/tenant/members/:userId). */
export const membershipRoles = ['member', 'admin'] as const;
export type MembershipRoleName = (typeof membershipRoles)[number];

export const memberSchema = z.object({
  userId: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(membershipRoles),
  since: z.iso.datetime(),
});
export type MemberDto = z.infer<typeof memberSchema>;

export const memberListResponseSchema = z.object({ items: z.array(memberSchema) });
export type MemberListResponse = z.infer<typeof memberListResponseSchema>;

/** Adds an existing Isola account to the studio (accounts are created by sign-up or by the platform). */
export const addMemberSchema = z
  .object({
    email: z
      .email('must be an email address')
      .max(320)
      .transform((v) => v.toLowerCase()),
    role: z.enum(membershipRoles).default('member'),
  })
  .strict();
export type AddMemberRequest = z.input<typeof addMemberSchema>;

export const changeMemberRoleSchema = z.object({ role: z.enum(membershipRoles) }).strict();
export type ChangeMemberRoleRequest = z.infer<typeof changeMemberRoleSchema>;

export const MembersErrorCode = {
  /** No member of this studio has that id (or it is not an id): 404. */
  MemberNotFound: 'MEMBER_NOT_FOUND',
  /** No Isola account has that email: 404 (the studio admin asks the person to sign up first). */
  UserNotFound: 'USER_NOT_FOUND',
  /** Already a member: 409. */
  AlreadyMember: 'ALREADY_MEMBER',
  /** The change would leave the studio without an admin: 409. */
  LastAdmin: 'LAST_ADMIN',
} as const;

export const MembersAuditAction = {
  Added: 'member.added',
  RoleChanged: 'member.role_changed',
  Removed: 'member.removed',
} as const;
