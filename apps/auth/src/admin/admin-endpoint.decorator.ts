import { applyDecorators } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '@gatehouse/security';

/**
 * An Admin API route: any valid access token passes the guard, and the admin services decide
 * from the principal what it may touch (see admin-policy.ts). Declares the Swagger security too.
 */
export function AdminEndpoint(summary: string): MethodDecorator {
  return applyDecorators(Authenticated(), ApiOperation({ summary }));
}
