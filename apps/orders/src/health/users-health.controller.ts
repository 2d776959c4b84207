import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import type { PingReply } from '@gatehouse/contracts';
import { Public } from '@gatehouse/security';
import { UsersClient } from '../orders/users.client';
import { PingResponse } from './ping.response';

@Controller('orders/health')
export class UsersHealthController {
  constructor(private readonly users: UsersClient) {}

  @Public()
  @Get('users')
  @ApiOperation({ summary: 'Round trip to the users service over the message transport' })
  @ApiOkResponse({ type: PingResponse, description: 'users answered' })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'service_unavailable: users did not answer in time' })
  pingUsers(): Promise<PingReply> {
    return this.users.ping();
  }
}
