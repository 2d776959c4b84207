import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Every refusal outside the OAuth endpoints, as the error filter answers it. */
export class ErrorResponse {
  @ApiProperty({ description: 'A stable code', example: 'not_found' }) error!: string;
  @ApiProperty({ description: 'For people; never parse it' }) message!: string;
  @ApiProperty({ description: 'The X-Request-Id of the request, for the logs' }) requestId!: string;
}

/** A refusal by an OAuth endpoint (RFC 6749 section 5.2). */
export class OAuthErrorResponse {
  @ApiProperty({ example: 'invalid_grant' }) error!: string;
  @ApiPropertyOptional() error_description?: string;
}
