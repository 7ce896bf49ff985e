import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/access.decorator.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { Problems } from '../common/problem/problem.exception.js';
import type { AuditEntry } from './audit-entry.js';
import { pageOf } from '../common/pagination/cursor.js';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { AuditEntryDto, AuditListDto, AuditQuery } from './dto/audit.dto.js';

const toDto = (entry: AuditEntry): AuditEntryDto => ({ ...entry, at: entry.at.toISOString() });

/** The audit trail, read-only: there is no route that changes or deletes a row. */
@ApiTags('audit')
@AdminOnly()
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly log: AuditLogRepository) {}

  @Get()
  @ApiOperation({ operationId: 'listAuditEntries', summary: 'The audit trail of admin and security-relevant actions, newest first' })
  @ApiOkResponse({ type: AuditListDto })
  @ProblemResponses(400)
  async list(@Query() query: AuditQuery): Promise<AuditListDto> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from > to) throw Problems.validation([{ field: 'from', message: 'from must not be after to' }]);
    const limit = query.limit ?? 50;
    const rows = await this.log.list({
      action: query.action,
      actor: query.actor,
      tenant: query.tenant ?? null,
      from,
      to,
      beforeId: query.cursor ? decodeAuditCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const { items, nextCursor } = pageOf(rows, limit, (last) => encodeAuditCursor(last.id));
    return { items: items.map(toDto), nextCursor };
  }
}
