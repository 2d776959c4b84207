import { Controller, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AUDIT_EVENT } from '@gatehouse/contracts';
import { Public } from '@gatehouse/security';
import { metaOf } from '@gatehouse/transport';
import { AuditIntake } from './audit-intake';
import { AuditReportDto } from './audit-report.dto';

const SenderAuthorization = createParamDecorator((_data: unknown, context: ExecutionContext) => metaOf(context).authorization);

/**
 * The audit events of the gateway and the services, over the transport. Public to the guard: the
 * sender authenticates as its platform client in the message's meta, checked by AuditIntake.
 */
@Controller()
export class AuditIntakeController {
  constructor(private readonly intake: AuditIntake) {}

  @Public()
  @EventPattern(AUDIT_EVENT.report)
  report(@Payload() report: AuditReportDto, @SenderAuthorization() authorization: string | undefined): Promise<void> {
    return this.intake.accept(report, authorization);
  }
}
