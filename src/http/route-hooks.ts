import type { RouteOptions } from 'fastify';

type HookName = 'onRequest' | 'preHandler' | 'onSend' | 'onResponse';

/**
 * Adds a hook to one route from an `onRoute` hook, after the route's own hooks. A plugin that only
 * concerns some routes (the public API, person-info) costs the other routes nothing this way.
 */
export function addRouteHook(route: RouteOptions, name: HookName, hook: unknown): void {
  const existing: unknown = route[name];
  (route as Record<HookName, unknown>)[name] = existing === undefined ? [hook] : [...[existing].flat(), hook];
}

/** Whether a route answers one of `methods` (a route may take several). */
export function routeTakes(route: RouteOptions, methods: readonly string[]): boolean {
  return [route.method].flat().some((method) => methods.includes(method));
}
