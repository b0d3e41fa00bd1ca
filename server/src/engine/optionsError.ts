/** Thrown by split and augment when the chosen options cannot work; the message lists every problem. */
export class OptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'OptionsError';
  }
}
