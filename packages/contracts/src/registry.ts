import type { z } from 'zod';
import { z as zod } from 'zod';

export interface ApiMeta {
  /** Component name in the OpenAPI document; schemas without one are inlined where used. */
  id?: string;
  description?: string;
  /** JSON Schema `format`, for strings whose check is a refinement zod cannot express in the schema. */
  format?: 'uri' | 'uri-reference' | 'email';
}

/**
 * Metadata of the public API's schemas. A schema registered with an `id` becomes a named component of the OpenAPI
 * document, referenced by `$ref`; descriptions of fields live here too. A registry of our own rather than zod's
 * global one, so another package registering an id or description cannot leak into the API document.
 */
export const apiRegistry = zod.registry<ApiMeta>();

/** Names a model: it lands in `components.schemas` under `id`. */
export function model<T extends z.ZodType>(schema: T, id: string, description: string): T {
  apiRegistry.add(schema as z.ZodType, { id, description });
  return schema;
}

/** Documents a field. Only for a schema instance created for this field, since registering replaces metadata. */
export function described<T extends z.ZodType>(schema: T, description: string, format?: ApiMeta['format']): T {
  apiRegistry.add(schema as z.ZodType, format ? { description, format } : { description });
  return schema;
}
