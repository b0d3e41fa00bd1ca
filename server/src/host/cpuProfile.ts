import * as fs from 'node:fs';
import { Session } from 'node:inspector';

/**
 * TUNESET_SERVER_CPU_PROFILE=FILE: a V8 CPU profile of the language server's thread from its start to
 * its end, written to FILE (open it in Chrome's DevTools or VS Code). For finding what a slow check or
 * keystroke spends in a real editor, where `node --cpu-prof` cannot be passed (VS Code starts the
 * server, and Node refuses --cpu-prof in NODE_OPTIONS). Off unless the variable is set.
 */
export function profileServerIfAsked(): void {
  const file = process.env.TUNESET_SERVER_CPU_PROFILE;
  if (!file) return;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  let written = false;
  const save = () => {
    if (written) return;
    written = true;
    // The in-process inspector answers at once, so the profile is written even from the 'exit' handler.
    session.post('Profiler.stop', (error, result) => {
      if (!error) fs.writeFileSync(file, JSON.stringify(result.profile));
    });
  };
  process.on('exit', save);
  // The editor going away: its IPC channel closes, or the process group gets a signal.
  process.on('disconnect', save);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      save();
      process.exit(128);
    });
  }
}
