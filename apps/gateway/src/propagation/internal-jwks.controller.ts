import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@gatehouse/security';
import { type InternalPublicJwk, InternalKeyRing } from './internal-key-ring';
import { InternalJwksResponse } from './internal-jwks.response';

/** The public keys services verify internal tokens with; served by the gateway, ahead of the auth routes. */
@ApiTags('gateway')
@Controller('.well-known')
export class InternalJwksController {
  constructor(private readonly ring: InternalKeyRing) {}

  @Public()
  @Get('internal-jwks.json')
  @Header('cache-control', 'public, max-age=60')
  @ApiOperation({ summary: "The public keys of the gateway's internal tokens (JWK Set), for the services behind it" })
  @ApiOkResponse({ type: InternalJwksResponse })
  async jwks(): Promise<{ keys: InternalPublicJwk[] }> {
    return { keys: await this.ring.publishedKeys() };
  }
}
