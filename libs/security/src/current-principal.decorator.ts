import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@gatehouse/contracts';

export const PRINCIPAL_KEY = 'gatehouse:principal';

export type RequestWithPrincipal = { [PRINCIPAL_KEY]?: Principal };

/** The verified principal of the current request; only on routes declared `@Authenticated`. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL_KEY];
  if (!principal) throw new Error('CurrentPrincipal used on a route that is not @Authenticated');
  return principal;
});
