'use strict';
// A V8 code cache for the CLI's bundles (dist/*.js), so a check of a small file does not spend most of
// its start compiling 5 MB of JavaScript again (issue #22: about 70 ms of a 0.3 s run on this machine).
// Node 22 has module.enableCompileCache(); Node 20, which Tuneset supports, does not. The cache is made
// after the run, not right after compiling, so it holds the functions the run actually compiled (V8
// compiles most functions lazily: a cache made at once holds little but the top level).
//
// Where: $TUNESET_COMPILE_CACHE (a directory; "0" turns the cache off), else Tuneset's cache folder
// (see cacheDir)/v8, made readable by its owner only.
// An entry is named by the bundle's path, size and time, and Node's version: a rebuilt bundle or another
// Node gets its own, and V8 itself refuses data that does not fit (the bundle is then compiled as usual
// and the entry written again). Nothing here may stop the CLI: any failure means compiling as usual.
const Module = require('module');
const vm = require('vm');
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');

/** The same cache folder as augmentation's answers (host/rewrites.ts): $TUNESET_CACHE_DIR, else $XDG_CACHE_HOME/tuneset, else ~/.cache/tuneset; code in its v8/ folder. */
function cacheDir() {
  const set = process.env.TUNESET_COMPILE_CACHE;
  if (set === '0') return undefined;
  if (set) return set;
  const base = process.env.TUNESET_CACHE_DIR || (process.env.XDG_CACHE_HOME ? path.join(process.env.XDG_CACHE_HOME, 'tuneset') : path.join(os.homedir(), '.cache', 'tuneset'));
  return path.join(base, 'v8');
}

/** Compiles the modules of `bundleDir` (not its subfolders) with cached code, and caches what a run compiled once it ends. */
function enableCompileCache(bundleDir) {
  let dir;
  try {
    dir = cacheDir();
  } catch {
    return;
  }
  if (!dir) return;
  const toWrite = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    if (path.dirname(filename) !== bundleDir) return compile.call(this, content, filename);
    let file;
    let cachedData;
    try {
      const stat = fs.statSync(filename);
      const key = crypto.createHash('sha1').update([filename, stat.size, stat.mtimeMs, process.version, process.arch].join('\0')).digest('hex');
      file = path.join(dir, `${key}.bin`);
      cachedData = fs.readFileSync(file);
    } catch {
      // No entry yet (or no way to name one): compiled as usual below, and cached at exit if it can be.
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (file && (!cachedData || script.cachedDataRejected)) toWrite.push({ script, file });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    if (!toWrite.length) return;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const { script, file } of toWrite) {
        // Written whole, then renamed: a run that starts meanwhile reads the old entry or the new, never half of one.
        const partial = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(partial, file);
      }
    } catch {
      // A read-only home, a full disk: the next run compiles as this one did.
    }
  });
}

module.exports = { enableCompileCache, cacheDir };
