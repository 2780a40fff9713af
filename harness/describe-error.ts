/**
 * How checks read an error a learner produced: every field a learner may have
 * used to say what it is (code, name, message, cause). Side-effect free, so
 * runners and peers share it.
 */
/** Describes an error the way checks read it: every field a learner may have used. */
export function describeError(err: unknown): Record<string, unknown> {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; code?: unknown; message?: unknown; errno?: unknown; syscall?: unknown; cause?: unknown };
    return {
      isError: err instanceof Error,
      name: typeof e.name === 'string' ? e.name : undefined,
      code: typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : undefined,
      message: typeof e.message === 'string' ? e.message.slice(0, 500) : undefined,
      errno: typeof e.errno === 'number' ? e.errno : undefined,
      syscall: typeof e.syscall === 'string' ? e.syscall : undefined,
      cause: e.cause !== undefined && e.cause !== err ? describeError(e.cause) : undefined,
    };
  }
  return { isError: false, message: String(err).slice(0, 500) };
}
