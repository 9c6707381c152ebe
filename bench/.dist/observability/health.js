// Liveness and readiness checks, as controller-runtime's AddHealthzCheck / AddReadyzCheck: named
// checks, each returning ok or a reason; /healthz and /readyz answer 200 when all pass, 503 otherwise,
// with a per-check report (`?verbose` lists the passing ones too).
export class HealthChecks {
    liveness = new Map();
    readiness = new Map();
    addHealthzCheck(name, check) {
        this.liveness.set(name, check);
    }
    addReadyzCheck(name, check) {
        this.readiness.set(name, check);
    }
    healthz() {
        return evaluate(this.liveness);
    }
    readyz() {
        return evaluate(this.readiness);
    }
}
async function evaluate(checks) {
    const results = await Promise.all([...checks].map(async ([name, check]) => {
        try {
            return { name, ...(await check()) };
        }
        catch (err) {
            return { name, ok: false, message: err instanceof Error ? err.message : String(err) };
        }
    }));
    return { ok: results.every((r) => r.ok), checks: results };
}
/** Renders like the kube-apiserver's /readyz?verbose: `[+]name ok` / `[-]name failed: reason`. */
export function renderReport(kind, report, verbose) {
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
export function cachedCheck(check, ttlMs, timeoutMs, now = Date.now) {
    let last;
    let running;
    return () => {
        if (last !== undefined && now() - last.at < ttlMs)
            return last.result;
        running ??= (async () => {
            let timer;
            try {
                const timeout = new Promise((resolve) => {
                    timer = setTimeout(() => resolve({ ok: false, message: `no answer within ${timeoutMs}ms` }), timeoutMs);
                    timer.unref();
                });
                const result = await Promise.race([Promise.resolve().then(check), timeout]);
                last = { at: now(), result };
                return result;
            }
            catch (err) {
                const result = { ok: false, message: err instanceof Error ? err.message : String(err) };
                last = { at: now(), result };
                return result;
            }
            finally {
                clearTimeout(timer);
                running = undefined;
            }
        })();
        return running;
    };
}
//# sourceMappingURL=health.js.map