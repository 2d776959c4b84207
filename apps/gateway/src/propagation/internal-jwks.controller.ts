import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@gatehouse/security';
import { type InternalPublicJwk, InternalKeyRing } from './internal-key-ring';

/** The public keys services verify internal tokens with; served by the gateway, ahead of the auth routes. */
@ApiTags('gateway')
@Controller('.well-known')
export class InternalJwksController {
  constructor(private readonly ring: InternalKeyRing) {}

  @Public()
  @Get('internal-jwks.json')
  @Header('cache-control', 'public, max-age=60')
  @ApiOkResponse({ description: "JWK Set of the gateway's internal-token keys" })
  async jwks(): Promise<{ keys: InternalPublicJwk[] }> {
    return { keys: await this.ring.publishedKeys() };
  }
}
