import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import type {
  CompleteMultipartUploadResponse,
  CreateMultipartUploadResponse,
  ListPartsResponse,
  SignPartResponse,
  SignPartsResponse,
} from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { originOf } from '../auth/auth.controller.js';
import { UploadsException } from './uploads.exception.js';
import { UploadsService } from './uploads.service.js';

/**
 * Uppy's Companion S3 routes (`@uppy/aws-s3` with `companionEndpoint: '/api'`), multipart only. The
 * tenant comes from the session; upload ids and keys in the path and query are looked up in Isola's
 * own records for this user and tenant, never trusted.
 */
@Controller('s3')
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  /** Single-request (POST policy) uploads are not offered: Isola's clients always use multipart. */
  @Get('params')
  @Access('tenant-member')
  params(): never {
    throw UploadsException.multipartRequired();
  }

  @Post('multipart')
  @HttpCode(200)
  @Access('tenant-member')
  create(@CurrentActor() actor: Actor, @Body() body: unknown, @Req() req: Request): Promise<CreateMultipartUploadResponse> {
    return this.uploads.create(actor, body, originOf(req));
  }

  /** Declared before `:partNumber`, which would otherwise take `batch` for a part number. */
  @Get('multipart/:uploadId/batch')
  @Access('tenant-member')
  signParts(
    @CurrentActor() actor: Actor,
    @Param('uploadId') uploadId: string,
    @Query() query: unknown,
    @Req() req: Request,
  ): Promise<SignPartsResponse> {
    return this.uploads.signParts(actor, uploadId, query, originOf(req));
  }

  @Get('multipart/:uploadId/:partNumber')
  @Access('tenant-member')
  signPart(
    @CurrentActor() actor: Actor,
    @Param('uploadId') uploadId: string,
    @Param('partNumber') partNumber: string,
    @Query() query: unknown,
    @Req() req: Request,
  ): Promise<SignPartResponse> {
    return this.uploads.signPart(actor, uploadId, partNumber, query, originOf(req));
  }

  @Get('multipart/:uploadId')
  @Access('tenant-member')
  listParts(
    @CurrentActor() actor: Actor,
    @Param('uploadId') uploadId: string,
    @Query() query: unknown,
    @Req() req: Request,
  ): Promise<ListPartsResponse> {
    return this.uploads.listParts(actor, uploadId, query, originOf(req));
  }

  @Post('multipart/:uploadId/complete')
  @HttpCode(200)
  @Access('tenant-member')
  complete(
    @CurrentActor() actor: Actor,
    @Param('uploadId') uploadId: string,
    @Query() query: unknown,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<CompleteMultipartUploadResponse> {
    return this.uploads.complete(actor, uploadId, query, body, originOf(req));
  }

  @Delete('multipart/:uploadId')
  @HttpCode(204)
  @Access('tenant-member')
  abort(@CurrentActor() actor: Actor, @Param('uploadId') uploadId: string, @Query() query: unknown, @Req() req: Request): Promise<void> {
    return this.uploads.abort(actor, uploadId, query, originOf(req));
  }
}
