/** A problem with a command's input, settings or outputs, said in one line naming the file: the CLI prints it as "tuneset: …" (exit code 2). */
export class InputError extends Error {}
