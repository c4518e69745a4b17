import type { Migration } from 'kysely';
import type { Capabilities } from '../dialect/capabilities.js';
import { initial } from './2026-11-25-0001-initial.js';
import { keyRotation } from './2026-11-26-0001-key-rotation.js';

/** Every migration by name; names sort in the order they apply. */
export function migrations(capabilities: Capabilities): Record<string, Migration> {
  return {
    '2026-11-25-0001-initial': initial(capabilities),
    '2026-11-26-0001-key-rotation': keyRotation,
  };
}
