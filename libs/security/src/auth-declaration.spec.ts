import { authDeclarationOf, Public, Roles, Scopes } from './auth-declaration';

describe('@Roles and @Scopes', () => {
  it('add up on one handler, in either order', () => {
    class Routes {
      @Roles('admin')
      @Scopes('orders:read')
      a(): void {}

      @Scopes('orders:write', 'orders:read')
      @Roles('admin', 'auditor')
      b(): void {}
    }
    expect(authDeclarationOf(Routes.prototype.a)).toEqual({ kind: 'user', roles: ['admin'], scopes: ['orders:read'] });
    expect(authDeclarationOf(Routes.prototype.b)).toEqual({ kind: 'user', roles: ['admin', 'auditor'], scopes: ['orders:write', 'orders:read'] });
  });

  it('refuse a handler already declared public, rather than leave one declaration silently winning', () => {
    expect(() => {
      class Routes {
        @Roles('admin')
        @Public()
        a(): void {}
      }
      return Routes;
    }).toThrow('already declared public');
  });
});
