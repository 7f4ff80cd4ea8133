import { Controller, Get } from '@nestjs/common';
import { buildOpenApiDocument, type OpenApiDocument } from '@isola/contracts/openapi';
import { Access } from '../../common/auth/access.decorator.js';

/** GET /api/openapi.json: the API's OpenAPI 3.1 document (built from @isola/contracts once, then kept in memory). */
@Controller('openapi.json')
export class OpenApiController {
  private document: OpenApiDocument | undefined;

  @Get()
  @Access('public')
  get(): OpenApiDocument {
    this.document ??= buildOpenApiDocument();
    return this.document;
  }
}
