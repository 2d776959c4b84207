import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A tenant's external identity provider, as the Admin API shows it. */
export class IdentityProviderResponse {
  @ApiProperty({ example: 'https://idp.example.com' }) issuer!: string;
  @ApiProperty() jwksUri!: string;
  @ApiProperty() audience!: string;
  @ApiProperty({ description: 'The claim that holds the roles' }) rolesClaim!: string;
  @ApiPropertyOptional({ description: 'Tokens typed JWT pass as access tokens, besides at+jwt' }) acceptTypJwt?: boolean;
}
