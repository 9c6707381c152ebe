// Narrow readers over untyped REST JSON. Azure bodies are read defensively: a missing or mistyped field
// reads as undefined, never throws, so one odd property cannot hide the rest of the observation.

export type Json = unknown;

export function asObject(value: Json): Record<string, Json> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, Json>)
    : undefined;
}

export function field(value: Json, ...path: string[]): Json {
  let current: Json = value;
  for (const key of path) {
    const o = asObject(current);
    if (o === undefined) return undefined;
    current = o[key];
  }
  return current;
}

export function str(value: Json): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function bool(value: Json): boolean | undefined {
  if (typeof value === 'boolean') return value;
  // Extension settings written by scripts sometimes carry booleans as strings.
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return undefined;
}

export function num(value: Json): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

export function arr(value: Json): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/** Key Vault attribute timestamps are Unix seconds. */
export function epochSeconds(value: Json): Date | undefined {
  const n = num(value);
  return n === undefined ? undefined : new Date(n * 1000);
}

export function lower(value: string | undefined): string | undefined {
  return value?.toLowerCase();
}
