import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor, AccessRule } from './actor.js';

export const ACCESS_METADATA = 'isola:access';

/**
 * Declares who may call a route: the caller must satisfy at least one rule. A route without it is
 * refused by the AccessGuard (and fails the route-enumeration test): there is no default audience.
 */
export const Access = (...rules: [AccessRule, ...AccessRule[]]) => SetMetadata(ACCESS_METADATA, rules);

/** The authenticated caller (set by the AccessGuard); null on public routes when nobody is signed in. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor | null => {
  return ctx.switchToHttp().getRequest<{ actor?: Actor | null }>().actor ?? null;
});
