import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ACCESS_METADATA } from '../../src/common/auth/access.decorator.js';
import { startTestApi } from '../support/test-app.js';

type Handler = (...args: unknown[]) => unknown;

/** Every route handler of every controller Nest registered, with its declared @Access rules. */
export function enumerateRoutes(app: INestApplication): Array<{ route: string; rules: unknown }> {
  const scanner = new MetadataScanner();
  const routes: Array<{ route: string; rules: unknown }> = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Handler;
      const proto = controller.prototype as Record<string, Handler>;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name]!;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue; // a helper, not a route
        const rules: unknown = Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, controller);
        routes.push({
          route: `${controller.name}.${name} (${String(Reflect.getMetadata(PATH_METADATA, controller))}/${String(Reflect.getMetadata(PATH_METADATA, handler))})`,
          rules,
        });
      }
    }
  }
  return routes;
}

/** The routes Express actually serves (what a client can reach). */
function expressRoutes(app: INestApplication): string[] {
  const router = (
    app.getHttpAdapter().getInstance() as { router?: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }
  ).router;
  return (router?.stack ?? []).flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : [],
  );
}

/**
 * Every route declares who may call it (@Access). There is no global default role: a route that forgets
 * is refused at runtime, and this test names it before it ships.
 */
describe('every route declares its audience', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startTestApi();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finds no route without @Access, and has checked every route Express serves', () => {
    const routes = enumerateRoutes(app);
    expect(routes.filter((r) => !Array.isArray(r.rules) || r.rules.length === 0).map((r) => r.route)).toEqual([]);
    const served = expressRoutes(app).filter((r) => r.includes('/api/'));
    expect(served.length).toBeGreaterThanOrEqual(4);
    expect(routes).toHaveLength(served.length);
  });
});
