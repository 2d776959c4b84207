import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@gatehouse/security';
import type { Jwks } from './key-snapshot';
import { KeyStore } from './key-store.service';
import { JwksResponse } from './jwks.response';

@ApiTags('keys')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: KeyStore) {}

  /** Cached for a minute only: a key published ahead of use must reach verifiers well before it signs. */
  @Public()
  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=60')
  @Header('content-type', 'application/jwk-set+json; charset=utf-8')
  @ApiOperation({
    summary: 'Public signing keys (JWK Set, RFC 7517)',
    description:
      'The keys that verify tokens issued by this server: the active key, the next key (published before it signs) ' +
      'and retired keys until the last token they signed has expired. Public members only.',
  })
  @ApiProduces('application/jwk-set+json')
  @ApiOkResponse({ type: JwksResponse, description: 'A JWK Set (application/jwk-set+json)' })
  jwks(): Promise<Jwks> {
    return this.keys.jwks();
  }
}
