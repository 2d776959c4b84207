import { Controller, Get, Post } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { RunningApp } from '@gatehouse/app-kit';
import { Public } from '@gatehouse/security';
import { startPlatform } from '../apps/platform/src/platform';
import { listHandlers } from './support/route-inventory';
import { createTestEnv, type TestEnv } from './support/test-env';

@Controller('probe')
class ProbeController {
  @Public() @Get('open') open(): string {
    return 'ok';
  }
  @Post('forgotten') forgotten(): string {
    return 'no declaration';
  }
  @MessagePattern('probe.silent') silent(): string {
    return 'no declaration';
  }
}

describe('route inventory', () => {
  it('finds handlers that declare no auth (the check itself can fail)', async () => {
    const module = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    const undeclared = listHandlers(module, [{ url: '/raw' }, { url: '/declared', auth: { kind: 'public' } }]).filter((handler) => !handler.declared);
    expect(undeclared.map((handler) => `${handler.kind} ${handler.method}`).sort()).toEqual(['http /raw', 'http forgotten', 'message silent']);
    await module.close();
  });

  describe('on every app of the platform', () => {
    let testEnv: TestEnv;
    let apps: RunningApp[];
    beforeAll(async () => {
      testEnv = await createTestEnv();
      apps = await startPlatform({ env: testEnv.env });
    });
    afterAll(async () => {
      for (const app of [...(apps ?? [])].reverse()) await app.close();
      await testEnv?.cleanup();
    });

    it('declares the auth of every HTTP route and message handler', () => {
      const all = apps.flatMap((app) => listHandlers(app.app, app.httpRoutes).map((handler) => ({ app: app.name, ...handler })));
      expect(all.length).toBeGreaterThan(0);
      expect(all.some((handler) => handler.kind === 'message')).toBe(true);
      expect(all.filter((handler) => !handler.declared)).toEqual([]);
    });

    it('lets only the gateway hand auth to its route table', () => {
      const routed = apps.flatMap((app) =>
        listHandlers(app.app, app.httpRoutes)
          .filter((handler) => handler.declaration === 'routed')
          .map(() => app.name),
      );
      expect(new Set(routed)).toEqual(new Set(['gateway']));
    });
  });
});
