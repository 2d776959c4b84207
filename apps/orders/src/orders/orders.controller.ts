import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import { HEADER, type Principal } from '@gatehouse/contracts';
import { Authenticated, CurrentPrincipal } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { CreateOrderDto, GetOrderQuery, ListOrdersQuery } from './order.dto';
import type { OrderView } from './order-view';
import { OrderResponse } from './order.response';
import { OrdersService } from './orders.service';

const READ = 'orders:read';
const WRITE = 'orders:write';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Authenticated({ scopes: [WRITE], tenant: true })
  @ApiOperation({ summary: "Place an order owned by the caller, in the caller's tenant" })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1 to 200 visible ASCII characters. A retry with the same key and the same request answers the first order again (201, with Idempotent-Replayed: true); with another request, 409 conflict.',
  })
  @ApiCreatedResponse({ type: OrderResponse, description: 'The order; a replay also answers Idempotent-Replayed: true' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'invalid_request: the body or the Idempotency-Key is malformed' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'conflict: the Idempotency-Key was used with another request' })
  async place(
    @CurrentPrincipal() principal: Principal,
    @Body() input: CreateOrderDto,
    @Headers(HEADER.idempotencyKey) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const { order, replayed } = await this.orders.place(principal, input, idempotencyKey);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return order;
  }

  @Get()
  @Authenticated({ scopes: [READ], tenant: true })
  @ApiOperation({ summary: "The caller's orders, newest first; a tenant administrator sees every order of the tenant" })
  @ApiOkResponse({ type: [OrderResponse], description: 'A page of orders; pass the last id as `before` for the next page' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListOrdersQuery): Promise<OrderView[]> {
    return this.orders.list(principal, query);
  }

  @Get(':id')
  @Authenticated({ scopes: [READ], tenant: true })
  @ApiOperation({ summary: 'One order of the caller (a tenant administrator: of the tenant)' })
  @ApiOkResponse({ type: OrderResponse, description: "The order; with ?include=owner, 503 service_unavailable when the owner's profile cannot be had" })
  @ApiNotFoundResponse({ type: ErrorResponse, description: "not_found: no such order, or not the caller's" })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: GetOrderQuery): Promise<OrderView> {
    return this.orders.get(principal, id, query.include === 'owner');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Authenticated({ scopes: [WRITE], tenant: true })
  @ApiOperation({ summary: 'Cancel a placed order: its owner or a tenant administrator' })
  @ApiOkResponse({ type: OrderResponse, description: 'The cancelled order' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: "not_found: no such order, or not the caller's" })
  @ApiConflictResponse({ type: ErrorResponse, description: 'conflict: the order is not placed (already cancelled)' })
  cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.orders.cancel(principal, id);
  }
}
