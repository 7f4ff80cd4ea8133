import { Injectable } from '@nestjs/common';
import { NoticeErrorCode, noticeListQuerySchema, type NoticeDto, type NoticeListResponse } from '@isola/contracts';
import type { Notice } from '@isola/database';
import { Clock } from '@isola/runtime';
import { ApiException } from '../../common/api.exception.js';
import { parseBody } from '../../common/validation.js';
import { decodeNoticeCursor, encodeNoticeCursor } from './notice-cursor.js';
import { NoticesRepository } from './notices.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toNoticeDto(row: Notice): NoticeDto {
  return {
    id: row.id,
    kind: row.kind,
    message: row.message,
    details: isRecord(row.details) ? row.details : null,
    createdAt: row.createdAt.toISOString(),
    dismissedAt: row.dismissedAt?.toISOString() ?? null,
  };
}

/** A tenant's in-app notices for its admins (target revoked/restored, …): read and dismiss. */
@Injectable()
export class NoticesService {
  constructor(
    private readonly notices: NoticesRepository,
    private readonly clock: Clock,
  ) {}

  async list(tenantId: string, query: unknown): Promise<NoticeListResponse> {
    const input = parseBody(noticeListQuerySchema, query);
    const after = input.cursor === undefined || input.cursor === '' ? undefined : decodeNoticeCursor(input.cursor);
    if (input.cursor !== undefined && input.cursor !== '' && after === undefined) {
      throw new ApiException(400, NoticeErrorCode.InvalidCursor, 'The cursor is not one this list handed out.');
    }
    // one extra row tells whether another page exists without a count query
    const [rows, undismissed] = await Promise.all([
      this.notices.page(tenantId, after, input.limit + 1),
      this.notices.countUndismissed(tenantId),
    ]);
    const items = rows.slice(0, input.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toNoticeDto),
      nextCursor:
        rows.length > input.limit && last !== undefined
          ? encodeNoticeCursor({ dismissed: last.dismissedAt !== null, createdAt: last.createdAt, id: last.id })
          : null,
      undismissed,
    };
  }

  async dismiss(tenantId: string, id: string): Promise<NoticeDto> {
    const row = UUID.test(id) ? await this.notices.dismiss(tenantId, id, this.clock.now()) : null;
    if (row === null) throw new ApiException(404, NoticeErrorCode.NotFound, 'No such notice.');
    return toNoticeDto(row);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
