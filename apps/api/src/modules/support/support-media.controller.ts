import { Controller, Get, Header, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { MediaLinksResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { originOf } from '../auth/auth.controller.js';
import { MediaService } from '../media/media.service.js';
import { SupportAccessPolicy } from './support-access-policy.service.js';
import { SupportException } from './support.exception.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The only way platform staff reach a studio's media: links for a HOSTED tenant's media while a
 * tenant admin's support grant is live (SupportAccessPolicy decides; isolated tenants are refused
 * always). Links never outlive the grant, and each request is in the studio's audit log.
 */
@Controller('support/tenants/:tenantId/media')
export class SupportMediaController {
  constructor(
    private readonly policy: SupportAccessPolicy,
    private readonly media: MediaService,
  ) {}

  @Get(':mediaId/links')
  @Header('Cache-Control', 'no-store') // presigned URLs are bearer secrets (as on the studio's own links route)
  @Access('staff')
  async links(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @Param('mediaId') mediaId: string,
    @Req() req: Request,
  ): Promise<MediaLinksResponse> {
    if (!UUID.test(tenantId)) throw SupportException.accessDenied('no-grant');
    const origin = originOf(req);
    const basis = await this.policy.assertStaffMayAccessMedia(actor, tenantId, { origin });
    if (basis.kind === 'member') return this.media.linksFor(actor, mediaId, origin);
    return this.media.linksFor(actor, mediaId, origin, { tenantId, grantId: basis.grantId, grantExpiresAt: basis.expiresAt });
  }
}
