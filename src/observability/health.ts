// Liveness and readiness checks, as controller-runtime's AddHealthzCheck / AddReadyzCheck: named
// checks, each returning ok or a reason; /healthz and /readyz answer 200 when all pass, 503 otherwise,
// with a per-check report (`?verbose` lists the passing ones too).

export interface CheckResult {
  readonly ok: boolean;
  readonly message?: string;
}

export type Check = () => CheckResult | Promise<CheckResult>;

export interface NamedCheckResult extends CheckResult {
  readonly name: string;
}

export interface HealthReport {
  readonly ok: boolean;
  readonly checks: readonly NamedCheckResult[];
}

export class HealthChecks {
  private readonly liveness = new Map<string, Check>();
  private readonly readiness = new Map<string, Check>();

  addHealthzCheck(name: string, check: Check): void {
    this.liveness.set(name, check);
  }

  addReadyzCheck(name: string, check: Check): void {
    this.readiness.set(name, check);
  }

  healthz(): Promise<HealthReport> {
    return evaluate(this.liveness);
  }

  readyz(): Promise<HealthReport> {
    return evaluate(this.readiness);
  }
}

async function evaluate(checks: ReadonlyMap<string, Check>): Promise<HealthReport> {
  const results = await Promise.all(
    [...checks].map(async ([name, check]): Promise<NamedCheckResult> => {
      try {
        return { name, ...(await check()) };
      } catch (err: unknown) {
        return { name, ok: false, message: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
  return { ok: results.every((r) => r.ok), checks: results };
}

/** Renders like the kube-apiserver's /readyz?verbose: `[+]name ok` / `[-]name failed: reason`. */
export function renderReport(kind: 'healthz' | 'readyz', report: HealthReport, verbose: boolean): string {
  const lines = report.checks
    .filter((c) => verbose || !c.ok)
    .map((c) => (c.ok ? `[+]${c.name} ok` : `[-]${c.name} failed: ${c.message ?? 'not ok'}`));
  lines.push(report.ok ? `${kind} check passed` : `${kind} check failed`);
  return `${lines.join('\n')}\n`;
}

/**
 * Wraps an expensive check (e.g. "is Azure reachable") so probes reuse its last answer for `ttlMs`
 * and a slow dependency cannot pile up concurrent calls; a call exceeding `timeoutMs` fails.
 */
export function cachedCheck(
  check: Check,
  ttlMs: number,
  timeoutMs: number,
  now: () => number = Date.now,
): Check {
  let last: { at: number; result: CheckResult } | undefined;
  let running: Promise<CheckResult> | undefined;
  return () => {
    if (last !== undefined && now() - last.at < ttlMs) return last.result;
    running ??= (async (): Promise<CheckResult> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<CheckResult>((resolve) => {
          timer = setTimeout(
            () => resolve({ ok: false, message: `no answer within ${timeoutMs}ms` }),
            timeoutMs,
          );
          timer.unref();
        });
        const result = await Promise.race([Promise.resolve().then(check), timeout]);
        last = { at: now(), result };
        return result;
      } catch (err: unknown) {
        const result = { ok: false, message: err instanceof Error ? err.message : String(err) };
        last = { at: now(), result };
        return result;
      } finally {
        clearTimeout(timer);
        running = undefined;
      }
    })();
    return running;
  };
}
