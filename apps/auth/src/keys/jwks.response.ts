import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A public signing key (RFC 7517): the members of its type only, never private material. */
export class PublicJwkResponse {
  @ApiProperty({ enum: ['RSA', 'EC', 'OKP'] }) kty!: string;
  @ApiProperty() kid!: string;
  @ApiProperty() alg!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
  @ApiPropertyOptional({ description: 'RSA modulus' }) n?: string;
  @ApiPropertyOptional({ description: 'RSA exponent' }) e?: string;
  @ApiPropertyOptional({ description: 'EC and OKP curve' }) crv?: string;
  @ApiPropertyOptional() x?: string;
  @ApiPropertyOptional() y?: string;
}

export class JwksResponse {
  @ApiProperty({ type: [PublicJwkResponse] }) keys!: PublicJwkResponse[];
}
