import { ApiProperty } from '@nestjs/swagger';

/** A consent to a third-party client, as the account and the Admin API see it. */
export class ConsentResponse {
  @ApiProperty() clientId!: string;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ format: 'date-time' }) grantedAt!: string;
}
