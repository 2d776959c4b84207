import { ApiProperty } from '@nestjs/swagger';

/** A profile as the users API shows it. */
export class ProfileResponse {
  @ApiProperty({ description: "The account's id: the token's sub" }) id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty() displayName!: string;
  @ApiProperty({ example: 'en' }) locale!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** One page of a tenant's profiles. */
export class ProfilePageResponse {
  @ApiProperty({ type: [ProfileResponse] }) items!: ProfileResponse[];
  @ApiProperty({ description: 'Profiles in the tenant' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
