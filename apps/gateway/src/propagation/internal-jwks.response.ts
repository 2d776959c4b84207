import { ApiProperty } from '@nestjs/swagger';

/** A public key of the gateway's internal tokens (RFC 7517): P-256, ES256. */
export class InternalJwkResponse {
  @ApiProperty({ enum: ['EC'] }) kty!: string;
  @ApiProperty({ enum: ['P-256'] }) crv!: string;
  @ApiProperty() x!: string;
  @ApiProperty() y!: string;
  @ApiProperty() kid!: string;
  @ApiProperty({ enum: ['ES256'] }) alg!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
}

export class InternalJwksResponse {
  @ApiProperty({ type: [InternalJwkResponse] }) keys!: InternalJwkResponse[];
}
