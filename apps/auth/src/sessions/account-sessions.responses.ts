import { ApiProperty } from '@nestjs/swagger';

/** A live session of a person, as they (or an administrator) see it. */
export class SessionViewResponse {
  @ApiProperty({ description: 'The session id (sid); ends it with DELETE' }) id!: string;
  @ApiProperty({ enum: ['browser', 'api'], description: "A browser session, or an API client's login through the password grant" }) kind!: string;
  @ApiProperty({ description: 'The browser and system it was opened from, as known names ("Firefox on Linux"), "Unknown device", or "API client <client id>"' })
  device!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The client address at login (null for an API login)' }) address!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt!: string;
  @ApiProperty({ description: 'Whether the request came through this session' }) current!: boolean;
}
