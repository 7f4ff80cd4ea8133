import { Controller, Get, Query } from '@nestjs/common';
import { supportTenantsQuerySchema, type SupportTenantsResponse } from '@isola/contracts';
import { Access } from '../../common/auth/access.decorator.js';
import { parseBody } from '../../common/validation.js';
import { SupportTenantsService } from './support-tenants.service.js';

/** Platform staff's view of the tenants: storage mode and target status; never media or credentials. */
@Controller('support/tenants')
export class SupportTenantsController {
  constructor(private readonly tenants: SupportTenantsService) {}

  @Get()
  @Access('staff')
  list(@Query() query: unknown): Promise<SupportTenantsResponse> {
    return this.tenants.list(parseBody(supportTenantsQuerySchema, query));
  }
}
