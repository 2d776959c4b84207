import type { INestApplicationContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { AUTH_DECLARATION, type AuthDeclaration } from '@gatehouse/security';

export interface Handler {
  controller: string;
  method: string;
  kind: 'http' | 'message';
  declared: boolean;
  declaration?: AuthDeclaration['kind'];
}

/** A route Fastify serves without Nest's router (`AppDefinition.httpRoutes`), as the app declared it. */
export interface DeclaredHttpRoute {
  url: string;
  auth?: AuthDeclaration;
}

/**
 * Every HTTP route and message handler of an app, with whether it declares its auth: Nest's
 * controllers and message handlers, and the routes it hands Fastify directly.
 */
export function listHandlers(app: INestApplicationContext, httpRoutes: readonly DeclaredHttpRoute[] = []): Handler[] {
  const handlers: Handler[] = httpRoutes.map((route) => ({
    controller: 'fastify',
    method: route.url,
    kind: 'http',
    declared: route.auth !== undefined,
    declaration: route.auth?.kind,
  }));
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type) continue;
      const prototype = type.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = prototype[name];
        if (name === 'constructor' || typeof method !== 'function') continue;
        const http = Reflect.hasMetadata(METHOD_METADATA, method) && Reflect.hasMetadata(PATH_METADATA, method);
        const message = Reflect.hasMetadata(PATTERN_METADATA, method);
        if (!http && !message) continue;
        const declaration = (Reflect.getMetadata(AUTH_DECLARATION, method) ?? Reflect.getMetadata(AUTH_DECLARATION, type)) as AuthDeclaration | undefined;
        handlers.push({
          controller: type.name,
          method: name,
          kind: message ? 'message' : 'http',
          declared: declaration !== undefined,
          declaration: declaration?.kind,
        });
      }
    }
  }
  return handlers;
}
