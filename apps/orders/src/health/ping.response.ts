import { ApiProperty } from '@nestjs/swagger';

/** The users service's answer to a ping over the message transport. */
export class PingResponse {
  @ApiProperty({ example: 'users' }) service!: string;
  @ApiProperty({ description: 'The instance that answered' }) instance!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}
