import { Readable } from 'node:stream';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@gatehouse/contracts';
import { CurrentPrincipal } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { AdminEndpoint } from '../admin/admin-endpoint.decorator';
import { AuditEventResponse, AuditFilterDto, AuditPageQueryDto, AuditPageResponse } from './audit-query.dto';
import { AuditQuery } from './audit-query.service';

@ApiTags('admin')
@Controller('admin/audit')
export class AuditAdminController {
  constructor(private readonly audit: AuditQuery) {}

  @Get()
  @ApiOkResponse({ type: AuditPageResponse })
  @AdminEndpoint('Read the audit trail, newest first, a page at a time (platform: all; tenant admin: their tenant)')
  page(@CurrentPrincipal() principal: Principal, @Query() query: AuditPageQueryDto): Promise<AuditPageResponse> {
    return this.audit.page(principal, query);
  }

  @Get('export')
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ type: AuditEventResponse, description: 'One event per line (JSON lines), newest first, streamed' })
  @AdminEndpoint('Export the audit trail as JSON lines, with the filters of the page')
  async export(@CurrentPrincipal() principal: Principal, @Query() filters: AuditFilterDto, @Res() reply: FastifyReply): Promise<void> {
    // Who may read what is settled before the first byte: a refusal is still a JSON error answer.
    const scope = this.audit.scope(principal, filters);
    const lines = Readable.from(
      (async function* (events) {
        for await (const event of events) yield `${JSON.stringify(event)}\n`;
      })(this.audit.all(scope)),
    );
    await reply.status(200).header('content-type', 'application/x-ndjson; charset=utf-8').header('cache-control', 'no-store').send(lines);
  }
}
