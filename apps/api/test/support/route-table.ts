import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { AccessRule } from '../../src/common/auth/actor.js';
import { ACCESS_METADATA } from '../../src/common/auth/access.decorator.js';

export interface HttpRoute {
  /** GET, POST, … */
  method: string;
  /** Full path as Express serves it, e.g. `/api/media/:id`. */
  path: string;
  /** The declared @Access rules (empty when the route forgot them). */
  rules: AccessRule[];
  /** `Controller.handler`, for messages. */
  handler: string;
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value ?? '')]);

/**
 * Every route of every controller Nest registered — method, full path (global prefix `api`) and its
 * @Access rules — found through Nest's own metadata, as routes-declare-access.integration-spec.ts does.
 * Routes other engineers add are picked up without touching this file.
 */
export function listHttpRoutes(app: INestApplication, globalPrefix = 'api'): HttpRoute[] {
  const scanner = new MetadataScanner();
  const routes: HttpRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (...args: unknown[]) => unknown;
      const proto = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name]!;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue; // a helper, not a route
        const rules = (Reflect.getMetadata(ACCESS_METADATA, handler) ??
          Reflect.getMetadata(ACCESS_METADATA, controller) ??
          []) as AccessRule[];
        for (const base of asList(Reflect.getMetadata(PATH_METADATA, controller))) {
          for (const sub of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
            routes.push({
              method: RequestMethod[method],
              path: joinPath(globalPrefix, base, sub),
              rules,
              handler: `${controller.name}.${name}`,
            });
          }
        }
      }
    }
  }
  return routes;
}

/** `METHOD /path` of every route the Express router actually serves (what a client can reach). */
export function expressRoutes(app: INestApplication): string[] {
  const router = (
    app.getHttpAdapter().getInstance() as { router?: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }
  ).router;
  return (router?.stack ?? []).flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : [],
  );
}
