/** The learner's module, as runners import it (resolved by harness/bundle.ts). Its shape is checked at run time. */
declare module 'learner:module' {
  const exports: Record<string, unknown>;
  export = exports;
}
