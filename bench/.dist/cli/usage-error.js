/** Bad command-line input: printed without a stack trace, exit status 2. */
export class UsageError extends Error {
    name = 'UsageError';
}
//# sourceMappingURL=usage-error.js.map