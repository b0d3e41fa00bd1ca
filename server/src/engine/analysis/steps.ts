/**
 * Long work in steps: a generator that yields, every few milliseconds of work, how far it has got
 * (from 0 to 1). The CLI runs the steps to their end at once (finish); the language server runs a
 * few at a time between the requests it answers, and may stop between any two of them (the text
 * changed, the user cancelled), so an analysis of a big file never holds the editor up.
 */
export type Steps<T> = Generator<number, T, undefined>;

/** Runs steps to their end at once and gives their result. */
export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Inner steps whose progress is the stretch from `from` to `to` of the outer work's. */
export function* within<T>(steps: Steps<T>, from: number, to: number): Steps<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    yield from + (to - from) * step.value;
  }
}
