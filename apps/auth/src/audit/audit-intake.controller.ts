import { Controller, createParamDecorator, type ExecutionContext, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiConsumes, ApiExcludeController } from '@nestjs/swagger';
import { OAuthErrorBodies } from '@gatehouse/app-kit';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AUDIT_EVENT } from '@gatehouse/contracts';
import { Public } from '@gatehouse/security';
import { metaOf } from '@gatehouse/transport';
import { AuditIntake } from './audit-intake';
import { OAuthForm } from '../oauth/oauth-form.decorator';
import { AuditReportDto, AuditReportFormDto, parseReportForm } from './audit-report.dto';

const SenderAuthorization = createParamDecorator((_data: unknown, context: ExecutionContext) => metaOf(context).authorization);

/**
 * The audit events of the services, over the transport, and of the gateway, over HTTP (it holds no
 * transport connection: see the NetworkPolicies). Public to the guard: the sender authenticates
 * as its platform client, in the message's meta or by client_secret_basic, checked by AuditIntake.
 * The gateway routes nothing under `/internal`, so the endpoint is never reachable from outside.
 */
@ApiExcludeController()
@Controller()
export class AuditIntakeController {
  constructor(private readonly intake: AuditIntake) {}

  @Public()
  @EventPattern(AUDIT_EVENT.report)
  report(@Payload() report: AuditReportDto, @SenderAuthorization() authorization: string | undefined): Promise<void> {
    return this.intake.accept(report, authorization);
  }

  @Public()
  @Post('internal/audit')
  @OAuthErrorBodies()
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  async reportOverHttp(
    @OAuthForm(AuditReportFormDto) form: AuditReportFormDto,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<{ recorded: true }> {
    const sender = await this.intake.sender({ authorization, clientId: form.client_id, clientSecret: form.client_secret });
    await this.intake.write(parseReportForm(form), sender);
    return { recorded: true };
  }
}
