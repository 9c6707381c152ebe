// The error taxonomy (design §5): adapters classify every failure once, at their boundary, into one of
// these; the runtime decides from the class alone whether to back off, stall or wait.

/** Worth retrying with exponential backoff: throttling, 5xx, timeouts, conflicts. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}

/** Will not succeed by retrying the same input: bad spec, 404 of a declared resource, 403. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
