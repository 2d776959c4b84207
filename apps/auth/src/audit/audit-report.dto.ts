import { type AuditDetails, type AuditOutcome, type AuditReport, REPORTED_AUDIT_TYPES, type ReportedAuditType } from '@gatehouse/contracts';
import { OAuthError } from '@gatehouse/contracts';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches, ValidateBy, validateSync } from 'class-validator';

const MAX_DETAILS = 20;

/** A flat object of at most 20 short scalar values: nothing nested, nothing large. */
function isFlatDetails(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= MAX_DETAILS &&
    entries.every(
      ([key, item]) =>
        key.length <= 64 &&
        (item === null || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item)) || (typeof item === 'string' && item.length <= 500)),
    )
  );
}

const FlatDetails = () =>
  ValidateBy({ name: 'flatDetails', validator: { validate: isFlatDetails, defaultMessage: () => 'details must be a flat object of short values' } });

/** An audit event reported by the gateway or a service (see AUDIT_EVENT.report). */
export class AuditReportDto implements AuditReport {
  @IsIn(REPORTED_AUDIT_TYPES) type!: ReportedAuditType;
  @IsIn(['success', 'failure']) outcome!: AuditOutcome;
  @IsISO8601({ strict: true }) occurredAt!: string;
  @IsOptional() @IsString() @Length(1, 100) tenantId?: string;
  @IsOptional() @IsString() @Length(1, 200) subject?: string;
  @IsOptional() @IsString() @Length(1, 200) clientId?: string;
  @IsOptional() @IsString() @Length(1, 100) ip?: string;
  @IsOptional() @IsString() @Length(1, 200) requestId?: string;
  @IsOptional() @IsString() @Length(1, 200) correlationId?: string;
  @IsOptional() @Matches(/^[0-9a-f]{32}$/) traceId?: string;
  @IsOptional() @Matches(/^[a-z_]{1,64}$/) code?: string;
  @IsOptional() @FlatDetails() details?: AuditDetails;
}

/** The form of `POST /internal/audit`: the same report as on the transport, as JSON in `report`. */
export class AuditReportFormDto {
  @IsOptional() @IsString() @Length(1, 200) client_id?: string;
  @IsOptional() @IsString() @Length(1, 500) client_secret?: string;
  @IsString() @Length(2, 8192) report!: string;
}

/** `report` read and checked exactly as a report off the transport is; else `invalid_request`. */
export function parseReportForm(form: AuditReportFormDto): AuditReportDto {
  let plain: unknown;
  try {
    plain = JSON.parse(form.report);
  } catch {
    throw new OAuthError('invalid_request', 'report must be JSON.');
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) throw new OAuthError('invalid_request', 'report must be a JSON object.');
  const report = plainToInstance(AuditReportDto, plain);
  const problems = validateSync(report, { whitelist: true, forbidNonWhitelisted: true });
  if (problems.length > 0) throw new OAuthError('invalid_request', `report is invalid: ${problems.map((problem) => problem.property).join(', ')}.`);
  return report;
}
