import { Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@gatehouse/contracts';
import { CurrentPrincipal } from '@gatehouse/security';
import { AdminEndpoint } from './admin-endpoint.decorator';
import { KeyResponse, KeyRotationResponse } from './admin.responses';
import type { KeyView } from './admin-views';
import { KeysAdmin } from './keys-admin.service';

@ApiTags('admin')
@Controller('admin/keys')
export class AdminKeysController {
  constructor(private readonly keys: KeysAdmin) {}

  @Get()
  @ApiOkResponse({ type: [KeyResponse] })
  @AdminEndpoint('List signing keys and their state (platform)')
  list(@CurrentPrincipal() principal: Principal): Promise<KeyView[]> {
    return this.keys.list(principal);
  }

  @Post('rotate')
  @ApiCreatedResponse({ type: KeyRotationResponse })
  @AdminEndpoint('Publish a new signing key; it signs after KEY_PUBLISH_AHEAD (platform)')
  rotate(@CurrentPrincipal() principal: Principal): Promise<{ kid: string; activatesAt: string }> {
    return this.keys.rotate(principal);
  }
}
